/**
 * The village notice board off the phone, through the functions on the emulator: the name policy on every public
 * surface (boards, ranking, the 公示 poster, the big screen's API, the export), the red-board consent given and
 * withdrawn, a lifted black-board entry leaving all of them while staying in the family's ledger and the audit,
 * and display links created and revoked. The poster's text is read with poppler's `pdftotext`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ScreenAnswer } from '../../miniprogram/contract/screen';
import { dayOf } from '../../miniprogram/core/time';
import type { BoardsPublishInput } from '../../miniprogram/contract/points';
import type { NameDisplay } from '../../miniprogram/core/names';
import type { BuiltVillage } from '../../scripts/setup-town';
import { ADMIN, data, errorOf, startTown, type Backend } from '../support/backend';
import { TEST_NOW } from '../support/clock';
import { createScreen, publishBoard, updateVillageSettings } from '../support/town-actions';

const OUT = path.join(__dirname, '..', '..', 'build', 'test-notice-board');

interface Stored {
  tempFileURL: string;
  fileName: string;
  bytes: number;
}

describe('the notice board: poster, export, big screen and the name policy', () => {
  let b: Backend;
  let town: Record<string, BuiltVillage>;
  const member = (village: string, name: string) => town[village].members[name];

  const boards = async (openid: string, board?: 'red' | 'black') =>
    data<{ boards: { name: string; title: string }[] }>(
      await b.call('points', 'boards.list', board ? { board } : {}, openid),
    ).boards;
  const ranking = async (openid: string, period: string) =>
    data<{ rows: { name: string; rankText: string }[] }>(
      await b.call('points', 'ranking.list', { scope: 'village', period }, openid),
    ).rows;
  const download = async (file: Stored) => Buffer.from(await (await fetch(file.tempFileURL)).arrayBuffer());
  const posterText = async (period: string, name: string) => {
    const file = data<Stored>(
      await b.call('points', 'notice.poster', { villageId: 'banzhu', period }, 'o-luo'),
    );
    const pdf = await download(file);
    fs.mkdirSync(OUT, { recursive: true });
    const out = path.join(OUT, name);
    fs.writeFileSync(out, pdf);
    return { pdf, text: execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' }) };
  };
  const exported = async (period: string, format: 'csv' | 'json') =>
    (
      await download(
        data<Stored>(
          await b.call('points', 'notice.export', { villageId: 'banzhu', period, format }, 'o-luo'),
        ),
      )
    ).toString('utf8');
  const publish = (openid: string, input: Omit<BoardsPublishInput, 'requestId' | 'date'>) =>
    publishBoard(b, { date: dayOf(TEST_NOW), ...input }, openid);

  beforeAll(async () => {
    const started = await startTown();
    b = started;
    town = started.town;
    // 斑竹村 (masked): a red entry for 傅红 (a member), a black one for 万有志's family; 来凤村 (full): 李四.
    const redFor = (openid: string, village: string, name: string, title: string) =>
      publish(openid, {
        villageId: village,
        board: 'red',
        familyId: member(village, name).familyId,
        memberId: member(village, name).id,
        title,
        points: 10,
      });
    data(await redFor('o-luo', 'banzhu', '傅红', '照顾孤寡老人'));
    data(
      await publish('o-luo', {
        villageId: 'banzhu',
        board: 'black',
        familyId: member('banzhu', '万有志').familyId,
        title: '焚烧秸秆',
        points: -5,
      }),
    );
    data(await redFor('o-zhang', 'laifeng', '李四', '义务修路'));
  });
  afterAll(() => b.stop());

  it('masks the red board without the family’s consent, shows the full name with it, masks again once withdrawn', async () => {
    expect((await boards('o-li', 'red'))[0].name).toBe('李*');
    const given = data<{ redBoardConsent: { byName: string } | null }>(
      await b.call('accounts', 'families.setRedBoardConsent', { consent: true }, 'o-li'),
    );
    expect(given.redBoardConsent?.byName).toBe('李四');
    expect((await boards('o-zhang', 'red'))[0].name).toBe('李四');
    const family = data(await b.call('accounts', 'families.get', {}, 'o-li'));
    expect(family.family.redBoardConsent).toMatchObject({ byName: '李四' });

    data(await b.call('accounts', 'families.setRedBoardConsent', { consent: false }, 'o-li'));
    expect((await boards('o-li', 'red'))[0].name).toBe('李*');
    const trail = data<{ trail: { action: string; summary: string }[] }>(
      await b.call('points', 'audit.list', { villageId: 'laifeng' }, ADMIN),
    ).trail.filter((t) => t.action === 'families.setRedBoardConsent');
    expect(trail.map((t) => t.summary)).toEqual([
      '撤回在红榜上公开全名的同意',
      '同意在红榜上公开家庭成员全名',
    ]);
  });

  it('never shows more than the village allows: consent does not lift a masked village’s policy', async () => {
    data(await b.call('accounts', 'families.setRedBoardConsent', { consent: true }, 'o-fu'));
    expect(await boards('o-he')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: '傅*', title: '照顾孤寡老人' }),
        expect.objectContaining({ name: '万**家', title: '焚烧秸秆' }),
      ]),
    );
    expect((await ranking('o-he', '2026-11')).map((r) => r.name)).toContain('傅*家');
  });

  it('shows households by number only where that is the village’s policy, on boards and in the ranking', async () => {
    const set = (nameDisplay: NameDisplay) => updateVillageSettings(b, { nameDisplay }, ADMIN);
    data(await set('household'));
    expect((await boards('o-he')).map((x) => x.name).sort()).toEqual(['第2户', '第3户']);
    const rows = await ranking('o-he', '2026-11');
    expect(rows.map((r) => r.name)).toContain('第2户');
    expect(rows.every((r) => /^第\d+户$/.test(r.name))).toBe(true);
    data(await set('masked'));
  });

  it('serves the big screen only through a live display link, with the public names', async () => {
    expect(errorOf(await createScreen(b, '大厅', 'o-he')).code).toBe('FORBIDDEN');
    const { link } = data(await createScreen(b, '村委会大厅', 'o-luo'));
    expect(link.url).toMatch(new RegExp(`^${b.emu.url}/screen/\\?t=`));
    const token = new URL(link.url ?? '').searchParams.get('t') as string;
    const api = async (t: string) => {
      const res = await fetch(`${b.emu.url}/screen-api?t=${encodeURIComponent(t)}`);
      return { status: res.status, answer: (await res.json()) as ScreenAnswer };
    };
    const live = await api(token);
    expect(live.status).toBe(200);
    if (!live.answer.ok) throw new Error('expected data');
    expect(live.answer.data.title).toBe('斑竹村');
    expect(live.answer.data.redBoard.map((r) => r.name)).toEqual(['傅*']);
    expect(live.answer.data.ranking.map((r) => r.name)).toContain('傅*家');
    expect(JSON.stringify(live.answer.data)).not.toMatch(/傅红|万有志|何雄梅/);

    expect((await api(`${link.id}.forged-signature-forged-signat`)).status).toBe(404);
    data(await b.call('points', 'screens.revoke', { linkId: link.id }, 'o-luo'));
    const revoked = await api(token);
    expect(revoked.status).toBe(404);
    expect(revoked.answer).toMatchObject({ ok: false, error: { message: '该大屏链接无效或已停用' } });
    const listed = data<{ links: { id: string; revokedAt: string | null; url: string | null }[] }>(
      await b.call('points', 'screens.list', { villageId: 'banzhu' }, 'o-luo'),
    ).links;
    expect(listed.find((l) => l.id === link.id)).toMatchObject({ url: null, revokedAt: expect.any(String) });
  });

  it('prints the month’s 公示 poster: notice window, boards, masking, supervisors and the mini-program code', async () => {
    b.setClock(new Date('2026-12-02T02:00:00Z')); // 2 December, 10:00 China time
    data(await b.call('points', 'months.startNotice', { villageId: 'banzhu', month: '2026-11' }, 'o-luo'));
    const { pdf, text } = await posterText('2026-11', 'poster-2026-11.pdf');
    expect(text).toContain('斑竹村2026年11月积分公示');
    expect(text).toContain('公示期：12月2日至12月9日，如有异议请向村积分监督小队反映');
    expect(text).toMatch(/傅\*\s+照顾孤寡老人\s+\+1分/);
    expect(text).toMatch(/万\*\*家\s+焚烧秸秆\s+-0\.5分/);
    expect(text).toContain('村积分监督小队：万有志');
    expect(text).not.toMatch(/傅红|何雄梅|罗亚倩/);
    expect(pdf.toString('latin1')).toContain('/Subtype /Image');
    // The font is embedded as a subset: a poster weighs kilobytes, not the font's 10 MB.
    expect(pdf.length).toBeLessThan(400_000);
  });

  it('exports the month as CSV and JSON with the documented columns and the public names', async () => {
    const csv = await exported('2026-11', 'csv');
    const lines = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      '村（社区）,户号,家庭,村民小组,基础类积分,贡献类积分,红黑榜积分,其他积分,合计积分,名次',
    );
    expect(lines).toContain('斑竹村,2,傅*家,一组,0,0,1,0,1,1');
    const json = JSON.parse(await exported('2026-11', 'json')) as {
      village: string;
      period: string;
      families: {
        householdNumber: string;
        family: string;
        board: number;
        total: number;
        rank: number | null;
      }[];
    };
    expect(json).toMatchObject({ village: '斑竹村', period: '2026-11' });
    expect(json.families.find((f) => f.householdNumber === '2')).toMatchObject({
      family: '傅*家',
      board: 1,
      total: 1,
      rank: 1,
    });
    expect(JSON.stringify(json)).not.toMatch(/傅红|万有志/);
  });

  it('takes a lifted black-board entry off every public surface, keeping it in the family’s ledger and the audit', async () => {
    b.setClock(new Date('2027-02-21T02:00:00Z')); // the three months from 20 November are over
    expect(await boards('o-he', 'black')).toEqual([]);
    const { text } = await posterText('2026-11', 'poster-2026-11-lifted.pdf');
    expect(text).not.toContain('焚烧秸秆');
    expect(text).toContain('本期无黑榜');
    const year = await posterText('2026', 'poster-2026.pdf');
    expect(year.text).toContain('斑竹村2026年度积分公示');
    expect(year.text).not.toContain('焚烧秸秆');
    expect(await exported('2026', 'json')).not.toContain('焚烧秸秆');

    const ledger = data<{ entries: { reason: string }[] }>(
      await b.call('points', 'ledger.list', {}, 'o-wan'),
    ).entries;
    expect(ledger.map((e) => e.reason)).toContain('黑榜：焚烧秸秆');
    const trail = data<{ trail: { summary: string }[] }>(
      await b.call('points', 'audit.list', { villageId: 'banzhu' }, 'o-wan'),
    ).trail;
    expect(trail.some((t) => t.summary.includes('焚烧秸秆'))).toBe(true);
  });
});
