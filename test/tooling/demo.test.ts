/**
 * The README promises `npm run demo` and a seeded demo town behind `npm start`: both run here end to end, on a
 * clock the test sets (the demo moves it on through the emulator's clock control, as a rehearsal would).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator } from '../../emulator';
import { builtFunctions } from '../support/backend';
import { TEST_NOW } from '../support/clock';
import { DEMO_FUNCTION_ENV, DEMO_IDENTITIES, emulatorCall, seedDemo } from '../../scripts/seed-demo';

const ROOT = path.join(__dirname, '..', '..');

describe('demo', () => {
  it('runs one month of 斑竹村, an activity with QR check-in and the shop side through the gateway, printing what people see', () => {
    const at = new Date(TEST_NOW.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
    const demo = path.join(ROOT, 'scripts', 'demo.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', demo, '--at', at], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(
      fs
        .readFileSync(path.join(ROOT, 'build', 'demo', '斑竹村2026年11月积分公示.pdf'))
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    for (const line of [
      '【罗亚倩】批量通过 6 条',
      // The activity: created, 20 members by the scan path (one refused as a duplicate, one after the end),
      // two added on behalf from the register, the list submitted and confirmed by a second cadre, entries posted.
      '【傅红（一组组长）】发起活动“河道清理志愿服务”（参加一次志愿活动），11月20日 10:30–12:30',
      '⏱ npm run clock -- +30m  → 2026-11-20 10:30',
      '【何雄梅】扫码签到未成功：何雄梅已经签到过了，不能重复签到',
      '【签到情况】扫码签到 20 人（7 户扫码），重复扫码被拒绝 1 次',
      '【傅红】选人代签：刘奶奶（2号户 傅红家，搜索“刘”），已记入操作日志',
      '【万有志】提前离开，扫码签退',
      '扫码签到未成功：现在不在签到时间内（11月20日 10:00起至11月20日 12:30）',
      '【傅红】提交签到名单 22 人（扫码 20 人，代签 2 人）',
      '【罗亚倩】确认名单：22 人各记“参加一次志愿活动” +1分',
      '【傅红家的积分明细】参加活动：河道清理志愿服务｜刘奶奶｜+1（记录：傅红，审核：罗亚倩）',
      '异议成立：黑榜撤下',
      '已锁定',
      '【小票】兑换',
      '收割稻谷800斤',
      '【基金池】斑竹村',
      // The rehearsal's clock moves, as `npm run clock` prints them.
      '⏱ npm run clock -- --at 2026-11-20T10:00  → 2026-11-20 10:00',
      '⏱ npm run clock -- --at 2026-12-02T10:00',
      '⏱ npm run clock -- +8d  → 2026-12-10',
      '⏱ npm run clock -- +3mo  → 2027-03-10',
      '【公示榜】暂停评比的家庭：1 户',
      '【三个月后的公示榜】暂停评比的家庭：0 户',
      '【2026年积分冠军】',
      '【罗亚倩】打印公示海报：build/demo/斑竹村2026年11月积分公示.pdf',
      '【村委会大屏】http://127.0.0.1:',
      '演示完成。',
    ]) {
      expect(run.stdout).toContain(line);
    }
  }, 300_000);

  it('seeds the demo town every demo identity can use', async () => {
    const functionsDir = await builtFunctions();
    const emu = await startEmulator({
      clockAt: TEST_NOW,
      port: 0,
      quiet: true,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-seed-')),
      functionsDir,
      functionEnv: DEMO_FUNCTION_ENV,
    });
    try {
      await seedDemo(emu);
      const call = emulatorCall(emu);
      for (const { openid } of DEMO_IDENTITIES) {
        const me = await call('accounts', 'session.me', {}, openid);
        expect([openid, me.ok && (me.data as { roles: unknown[] }).roles.length > 0]).toEqual([openid, true]);
      }
      const home = await call('points', 'home.get', {}, 'o-he');
      expect(home.ok && (home.data as { available: number }).available).toBeGreaterThan(0);
      // Two activities to come in 斑竹村: the river clean-up open for check-in now, the 院坝会 she signed up for.
      const mine = await call('points', 'activities.mine', {}, 'o-he');
      const upcoming = mine.ok
        ? (mine.data as { upcoming: { title: string; signedUpByMe: boolean }[] }).upcoming
        : [];
      expect(upcoming.map((a) => [a.title, a.signedUpByMe])).toEqual([
        ['人居环境整治：清理河道垃圾', false],
        ['院坝会：商量村道硬化方案', true],
      ]);
      const clerk = await call('accounts', 'session.me', {}, 'o-hu');
      expect(JSON.stringify(clerk)).toContain('shopClerk');
    } finally {
      await emu.stop();
    }
  }, 180_000);
});
