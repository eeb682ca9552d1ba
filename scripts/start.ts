// `npm start`: build the functions, start the local CloudBase emulator, seed the demo town when the store is empty.
// Env: PORT (3000), DATA_DIR (.data), ENV_ID (local), FUNCTIONS_DIR, SCHEMA_PATH, SKIP_BUILD=1, SKIP_SEED=1.
// Flags: --reset (wipe the store first), --no-build, --no-seed, --at <when> (start the clock there: 2027-01-05,
// 2027-01-05T09:30 China time; otherwise the clock saved in the store, or this machine's time). Move it later
// with `npm run clock`.
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { pathToFileURL } from 'url';
import type { Emulator } from '../emulator';
import { REPO_ROOT, startEmulator } from '../emulator';
import { parseClockCommand } from '../emulator/clock';
import { portInUseMessage } from './start-errors';

interface SeedModule {
  seedDemo?: (emu: Emulator) => Promise<unknown>;
  DEMO_IDENTITIES?: unknown;
  DEMO_FUNCTION_ENV?: Record<string, string>;
}

async function loadSeedModule(): Promise<SeedModule | undefined> {
  const file = path.join(REPO_ROOT, 'scripts', 'seed-demo.ts');
  if (!fs.existsSync(file)) return undefined;
  return (await import(pathToFileURL(file).href)) as SeedModule;
}

function startInstant(text: string): Date {
  const command = parseClockCommand(text, new Date(0));
  if (command.kind !== 'at')
    throw new Error(`--at takes a day or an instant (2027-01-05, 2027-01-05T09:30), not "${text}"`);
  return command.at;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const reset = args.includes('--reset');
  const build = !args.includes('--no-build') && process.env.SKIP_BUILD !== '1';
  const seedWanted = !args.includes('--no-seed') && process.env.SKIP_SEED !== '1';
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(REPO_ROOT, '.data'));
  const envId = process.env.ENV_ID ?? 'local';
  const atFlag = args.indexOf('--at');
  const at = atFlag >= 0 ? args[atFlag + 1] : undefined;

  if (build) {
    if (fs.existsSync(path.join(REPO_ROOT, 'scripts', 'build-functions.ts'))) {
      const r = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
      if (r.status !== 0) {
        console.error('Function build failed; not starting the emulator.');
        process.exit(1);
      }
    } else {
      console.log('scripts/build-functions.ts does not exist yet: skipping the functions build.');
    }
  }
  if (reset) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    console.log(`--reset: wiped ${dataDir}`);
  }

  const seed = await loadSeedModule();
  const emu = await startEmulator({
    // --at takes what `npm run clock -- --at` takes (a day or an instant); read it against any instant.
    ...(at ? { clockAt: startInstant(at) } : {}),
    port,
    dataDir,
    envId,
    functionEnv: seed?.DEMO_FUNCTION_ENV ?? {},
    ...(process.env.FUNCTIONS_DIR ? { functionsDir: path.resolve(process.env.FUNCTIONS_DIR) } : {}),
    ...(process.env.SCHEMA_PATH ? { schemaPath: path.resolve(process.env.SCHEMA_PATH) } : {}),
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the emulator…`);
    emu
      .stop()
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        console.error(e);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const empty = emu.collections().every((c) => emu.documentCount(c) === 0);
  if (empty && seedWanted) {
    if (seed?.seedDemo) {
      console.log('Store is empty: seeding the demo town…');
      try {
        await seed.seedDemo(emu);
      } catch (e) {
        console.error('Seeding the demo town failed (the emulator keeps running):', e);
      }
    } else {
      console.log('Store is empty (no scripts/seed-demo.ts yet, so no demo data).');
    }
  }

  console.log(`CloudBase emulator for env "${emu.envId}" at ${emu.url}  (data: ${dataDir})`);
  console.log(`  TCB_CONTEXT_CNFG='${emu.tcbContextConfig}'`);
  const clock = emu.clock.now();
  console.log(
    `  clock: ${new Date(clock.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} China time` +
      `${emu.clock.offsetMs === 0 ? '' : ' (moved)'}; move it with npm run clock -- +8d | --at 2027-01-05 | reset`,
  );
  console.log(
    `  gateway: POST ${emu.url}/functions/<name> (header X-WX-OPENID), POST ${emu.url}/upload, page ${emu.url}/`,
  );
  if (seed?.DEMO_IDENTITIES) {
    console.log('Demo identities:');
    console.log(JSON.stringify(seed.DEMO_IDENTITIES, null, 2));
  }
  console.log('READY');
}

main().catch((e: unknown) => {
  const busy = portInUseMessage(e, Number(process.env.PORT ?? 3000));
  console.error(busy ?? e);
  process.exit(1);
});
