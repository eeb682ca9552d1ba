/**
 * Where the mini-program's backend lives by default. Committed with `mode: 'cloud'`, which is what ships.
 * A developer (or a `npm start` that runs the local emulator) may rewrite this file to point at the
 * emulator's HTTP endpoint; keep it a plain object literal so a script can regenerate it.
 */
import type { BackendConfig } from './config';

const localConfig: BackendConfig = {
  mode: 'cloud',
  baseUrl: 'http://127.0.0.1:3000',
  openid: 'dev-villager',
};

export default localConfig;
