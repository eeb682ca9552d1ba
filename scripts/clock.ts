/**
 * `npm run clock`: shows or moves the clock of the local backend that `npm start` runs, so a town's IT person can
 * rehearse a month (采集 → 公示 → 异议 → 锁定), a black board lifting after 3 months, or the year end.
 *
 *   npm run clock                    # what time the functions see now
 *   npm run clock -- +8d             # 8 days on (also -2h, +30m, +1w, +3mo)
 *   npm run clock -- --at 2027-01-05 # that day, 00:00 China time (or --at 2027-01-05T09:30)
 *   npm run clock -- reset           # back to this machine's time
 *
 * The emulator saves the setting in its store, so every function sees the same time, also after a restart.
 * Production functions never read it (cloudfunctions/common/clock.ts), and the deploy refuses its variables.
 * Env: PORT (3000), or EMULATOR_URL.
 */
import { emulatorClock, moveEmulatorClock } from './lib/clock';

const USAGE = '用法：npm run clock [-- +8d | -2h | +3mo | --at 2027-01-05 | --at 2027-01-05T09:30 | reset]';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const baseUrl = process.env.EMULATOR_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const at = args.indexOf('--at');
  const command = at >= 0 ? args[at + 1] : args[0];
  if (at >= 0 && !command) throw new Error(`--at 后面要写日期。${USAGE}`);
  try {
    const view = command ? await moveEmulatorClock(baseUrl, command) : await emulatorClock(baseUrl);
    const moved =
      view.offsetMs === 0 ? '与本机时间一致' : `比本机快 ${(view.offsetMs / 86_400_000).toFixed(2)} 天`;
    console.log(`本地后端的时间：${view.china}（${moved}）`);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED')
      throw new Error(`连不上本地后端 ${baseUrl}：请先在另一个终端运行 npm start`);
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
