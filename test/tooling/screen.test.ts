/**
 * The big screen in a real browser: Debian's Chromium (puppeteer-core) at 1920 × 1080 opens a display link
 * against the emulator, shows the village's public boards and ranking (names as the village allows), rotates
 * its panels, and shows nothing once the link is revoked. The screenshot lands in build/screen/.
 */
import fs from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { dayOf } from '../../miniprogram/core/time';
import { findChromium } from '../../scripts/shots/capture';
import { data, startTown, type Backend } from '../support/backend';
import { TEST_NOW } from '../support/clock';
import { createScreen, publishBoard } from '../support/town-actions';

const OUT = path.join(__dirname, '..', '..', 'build', 'screen');
describe('the big screen', () => {
  let b: Backend;
  let browser: Browser;

  beforeAll(async () => {
    const started = await startTown();
    b = started;
    const fu = started.town.banzhu.members['傅红'];
    data(
      await publishBoard(
        b,
        {
          board: 'red',
          familyId: fu.familyId,
          memberId: fu.id,
          title: '照顾孤寡老人',
          points: 10,
          date: dayOf(TEST_NOW),
        },
        'o-luo',
      ),
    );
    browser = await puppeteer.launch({
      executablePath: findChromium(),
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await b?.stop();
  });

  it('shows the village’s public results at 1920 × 1080 and nothing once its link is revoked', async () => {
    // Prepare
    const { link } = data(await createScreen(b, '村委会大厅', 'o-luo'));
    const page = await browser.newPage();
    await page.setViewport({ width: 1920, height: 1080 });

    // Act
    await page.goto(link.url ?? '', { waitUntil: 'networkidle0' });
    await page.waitForFunction(() => document.getElementById('title')?.textContent !== '');

    // Assess
    const shown = await page.evaluate(() => document.body.innerText);
    expect(shown).toContain('斑竹村积分公示');
    expect(shown).toContain('2026年11月积分排行');
    expect(shown).toMatch(/第1名\s+傅\*家\s+1分/);
    expect(shown).toContain('本月发放积分');
    expect(shown).not.toMatch(/傅红|何雄梅|万有志/);
    fs.mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: path.join(OUT, 'screen-1920x1080.png') });
    const fits = await page.evaluate(
      () => document.documentElement.scrollWidth <= 1920 && document.documentElement.scrollHeight <= 1080,
    );
    expect(fits).toBe(true);

    // Act: the red board panel comes next by itself.
    await page.waitForFunction(() => document.getElementById('panel')?.dataset.panel === '1', {
      timeout: 12_000,
    });

    // Assess
    expect(await page.evaluate(() => document.getElementById('panel')?.innerText ?? '')).toMatch(
      /2026年11月红榜[\s\S]*傅\*[\s\S]*照顾孤寡老人/,
    );
    await page.screenshot({ path: path.join(OUT, 'screen-red-board-1920x1080.png') });

    // Act: revoke, and open the link again.
    data(await b.call('points', 'screens.revoke', { linkId: link.id }, 'o-luo'));
    await page.reload({ waitUntil: 'networkidle0' });
    await page.waitForFunction(() => !document.getElementById('gone')?.hidden);

    // Assess
    const after = await page.evaluate(() => document.body.innerText.trim());
    expect(after).toBe('该大屏链接无效或已停用');
    await page.screenshot({ path: path.join(OUT, 'screen-revoked-1920x1080.png') });
    await page.close();
  }, 60_000);
});
