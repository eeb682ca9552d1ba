/**
 * End to end, the way a developer runs the app in DevTools on `npm start`: `npm start`'s own script serves the
 * seeded demo town, and the mini-program's pages in local mode (the typed client's `wx.request` to the gateway,
 * as a demo identity) show what the real functions answer — no mocked client anywhere.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BACKEND_STORAGE_KEY } from '../../../miniprogram/services/config';
import { realRequest } from '../../shots/http';
import { decodeModules } from '../../support/qr';
import { TEST_NOW } from '../clock';
import { openPage, settle } from '../harness';

jest.setTimeout(120_000);

let server: ChildProcess;
let baseUrl = '';
let dataDir = '';

const actAs = (openid: string) => wx.setStorageSync(BACKEND_STORAGE_KEY, { mode: 'local', baseUrl, openid });

/** Waits for what the page shows, up to 30 s: a loaded machine's first call of a function starts its worker. */
async function until(check: () => boolean, rounds = 1200): Promise<void> {
  for (let i = 0; i < rounds && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-e2e-'));
  const root = path.join(__dirname, '..', '..', '..');
  // The run's one build of the functions (test/support/global-setup.ts), or, run outside it, a build of its own;
  // then served as npm start serves it.
  let functionsDir = process.env.ZJF_FUNCTIONS_DIR ?? '';
  if (!functionsDir) {
    functionsDir = path.join(dataDir, 'functions');
    const build = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'scripts', 'build-functions.ts'), functionsDir],
      { cwd: root, encoding: 'utf8' },
    );
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  }
  // The backend's clock starts at the tests' instant, not at this machine's date.
  const at = new Date(new Date(TEST_NOW).getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
  server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'start.ts'), '--at', at], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: path.join(dataDir, 'store'),
      FUNCTIONS_DIR: functionsDir,
      SKIP_BUILD: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (url && output.includes('READY')) {
        baseUrl = url[1];
        resolve();
      }
    });
    server.on('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
  });
});

afterAll(async () => {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  (wx.request as unknown as jest.Mock).mockImplementation(realRequest);
  wx.clearStorageSync();
});

it('shows 何雄梅 her family’s points, rank and latest lines from npm start’s demo town', async () => {
  actAs('o-he');
  const page = await openPage('pages/home/index');
  await page.methods.onLoad();
  await until(() => page.text().includes('何雄梅家'));
  await settle();
  const seen = page.text();
  expect(seen).toContain('何雄梅家');
  // The demo seed's monthly pass for her and her son: +0.5 each, approved by 罗亚倩; 傅红's family ranks first.
  // (The seed's reason is the rule's title: shown once, with the day in Chinese, as issue 14 asks.)
  expect(seen).toContain('参加院坝会、村民代表大会 11月20日 · 何小军 +0.5分');
  expect(seen).toContain('参加院坝会、村民代表大会 11月20日 · 何雄梅 +0.5分');
  expect(seen).toMatch(/第2名 \/ 共\d+户 村内排名/);
  // A villager holds no role: no cadre entrances.
  expect(seen).not.toContain('审核');
});

it('shows the catalogue from the emulator on 积分规则', async () => {
  actAs('o-he');
  const page = await openPage('pages/rules/index');
  await page.methods.onLoad();
  await until(() => page.text().includes('基础类积分'));
  expect(page.text()).toContain('党员每月按时参加组织生活');
  expect(page.text()).toContain('+0.5');
});

it('tells a WeChat user who is not linked yet to bind with an invite code', async () => {
  actAs('o-stranger');
  const page = await openPage('pages/home/index');
  await page.methods.onLoad();
  await until(() => page.text().includes('邀请码'));
  expect(page.text()).toContain('邀请码');
});

it('shows 罗亚倩, a village cadre, her entrances on 首页 from the roles the server gives her', async () => {
  actAs('o-luo');
  const page = await openPage('pages/home/index');
  await page.methods.onLoad();
  await until(() => page.text().includes('审核'));
  expect(page.text()).toContain('审核');
  expect(page.text()).toContain('月度采集');
});

/** Reads the QR code a page draws (its dark modules) as a camera would. */
function readShownQr(root: Element): string {
  const rows = Array.from(root.querySelectorAll('[class*="qr__row"]')).map((row) =>
    Array.from(row.children).map((cell) => cell.className.includes('qr__cell--dark')),
  );
  const text = decodeModules(rows);
  if (text === null) throw new Error('no QR code on the page');
  return text;
}

it('checks 何雄梅 in with the code 傅红’s phone shows for the seeded river clean-up', async () => {
  // Prepare: 傅红 (the organiser) opens the activity; her page draws its current check-in code.
  actAs('o-fu');
  const organiser = await openPage('packageCadre/activities/index');
  await organiser.methods.onLoad({});
  await until(() => organiser.text().includes('人居环境整治：清理河道垃圾'));
  const river = (organiser.data().activities as { id: string; title: string }[]).find(
    (a) => a.title === '人居环境整治：清理河道垃圾',
  );
  if (!river) throw new Error('the seeded river clean-up is not on 傅红’s list');
  await organiser.tap(`#activity-${river.id}`);
  await until(() => (organiser.data().qr as boolean[][]).length > 0);
  const shown = readShownQr(organiser.page.dom as Element);
  organiser.methods.onUnload();
  expect(shown).toMatch(/^ZJF-CI:/);

  // Act: 何雄梅 points her camera at it from 村里活动's 扫码签到.
  actAs('o-he');
  const scanCode = jest
    .spyOn(wx, 'scanCode')
    .mockImplementation((options) => void options.success?.({ result: shown } as never));
  const villager = await openPage('pages/activities/index');
  await villager.methods.onLoad();
  await until(() => villager.text().includes('扫码签到'));
  await villager.tap('#scan-in', '.t-button');
  await until(() => villager.text().includes('待确认'));
  scanCode.mockRestore();

  // Assess: the real function took the code the phone showed.
  expect(villager.text()).toContain('签到成功 何雄梅 · 人居环境整治：清理河道垃圾');
  expect(villager.text()).toContain(
    '人居环境整治：清理河道垃圾 何雄梅 · 11月20日 10:00签到 · 已签到，待确认',
  );
});
