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

/** Identities the demo seed creates; in local mode the 家庭 page lets a developer act as one of them. */
export const demoIdentities: { openid: string; label: string }[] = [
  { openid: 'o-admin', label: '镇管理员' },
  { openid: 'o-luo', label: '罗亚倩（斑竹村干部）' },
  { openid: 'o-he', label: '何雄梅（村民）' },
  { openid: 'o-fu', label: '傅红（组长）' },
  { openid: 'o-wan', label: '万有志（监督员）' },
  { openid: 'o-hu', label: '胡焱（收银员）' },
];

export default localConfig;
