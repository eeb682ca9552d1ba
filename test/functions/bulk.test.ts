/**
 * Bulk work in chunks through the functions on the emulator: a 3,000-household register and a bulk approval of
 * 200 claims go through chunk by chunk, each chunk within the request budget (what fits in 10 s at 30 ms per
 * request); a chunk that fails halfway (a database request lost, as when a function is killed) and is run again
 * leaves exactly what one clean run leaves.
 */
import type { FamiliesImportInput } from '../../miniprogram/contract/accounts';
import type { JobProgress } from '../../miniprogram/contract/jobs';
import { dayOf } from '../../miniprogram/core/time';
import { ADMIN, atOnce, data, registerCsv, townForDescribe } from '../support/backend';
import { TEST_NOW } from '../support/clock';
import { assertLedgerInvariant } from '../support/invariant';
import { rid, setUpEmptyTown, submitSuggestions } from '../support/town-actions';

type Progress = JobProgress & { families?: number; members?: number };

/** 10 s at 30 ms per request. */
const CHUNK_BUDGET = Math.floor(10_000 / 30);

/** A register of `households` households of two or three members each, in the groups 一组 and 二组. */
function register(households: number, start = 1): string {
  const lines: string[] = [];
  for (let n = start; n < start + households; n += 1) {
    const group = n % 2 ? '一组' : '二组';
    lines.push(`${n},${group},户主${n},户主,否,${group}${n}号`);
    lines.push(`${n},${group},配偶${n},配偶,否,`);
    if (n % 3 === 0) lines.push(`${n},${group},子女${n},子女,是,`);
  }
  return registerCsv(...lines);
}

describe('bulk work in chunks', () => {
  const b = townForDescribe({
    prepare: (town) =>
      setUpEmptyTown(town, [
        { id: 'big', name: '大村', groups: ['一组', '二组'] },
        { id: 'clean', name: '顺利村', groups: ['一组', '二组'] },
        { id: 'faulty', name: '中断村', groups: ['一组', '二组'] },
      ]),
  });

  /** Runs an import to the end through the functions; returns each chunk's progress and request count. */
  async function importAll(input: FamiliesImportInput) {
    const chunks: { progress: Progress; dbRequests: number }[] = [];
    let call = await b.measure('accounts', 'families.import', input, ADMIN);
    for (;;) {
      const progress = data<Progress>(call.res);
      chunks.push({ progress, dbRequests: call.dbRequests });
      if (progress.finished) return chunks;
      call = await b.measure('accounts', 'families.importNext', { jobId: progress.jobId }, ADMIN);
    }
  }

  /** What a village holds after an import, without ids or times: the same for the same sheet. */
  async function villageContents(villageId: string) {
    const families: { id: string; householdNumber: string; headName: string }[] = [];
    for (let offset = 0; ; offset += 50) {
      const page = data<{ families: typeof families }>(
        await b.call('accounts', 'families.list', { villageId, offset }, ADMIN),
      ).families;
      families.push(...page);
      if (page.length < 50) break;
    }
    const out: string[] = [];
    for (const f of families) {
      const family = data<{ members: { name: string; relation: string; partyMember: boolean }[] }>(
        await b.call('accounts', 'families.get', { familyId: f.id }, ADMIN),
      );
      out.push(
        `${f.householdNumber}|${f.headName}|${family.members
          .map((m) => `${m.name}/${m.relation}/${m.partyMember ? 1 : 0}`)
          .sort()
          .join(',')}`,
      );
    }
    return out.sort();
  }

  it('imports a village of 3,000 households in chunks, each within the request budget', async () => {
    const chunks = await importAll({ villageId: 'big', csv: register(3000), requestId: rid() });
    const last = chunks[chunks.length - 1].progress;
    expect(last).toMatchObject({ total: 3000, done: 3000, finished: true, succeeded: 3000, failed: 0 });
    expect(last.families).toBe(3000);
    expect(last.members).toBe(3000 * 2 + 1000);
    expect(chunks.length).toBeGreaterThan(1);
    // Progress goes up chunk by chunk, as the page shows it (已导入 120/400 户).
    expect(chunks.map((c) => c.progress.done)).toEqual(
      [...chunks.map((c) => c.progress.done)].sort((x, y) => x - y),
    );
    for (const c of chunks) expect(c.dbRequests).toBeLessThanOrEqual(CHUNK_BUDGET);
    expect(b.emu.documentCount('families')).toBeGreaterThanOrEqual(3000);
    // Every household has its outcome.
    const outcomes = chunks.flatMap((c) => c.progress.outcomes);
    expect(new Set(outcomes.map((o) => o.key)).size).toBe(3000);
    expect(outcomes.every((o) => o.ok && o.message === '已导入')).toBe(true);
    // The same sheet again is refused as a whole: every household is already there.
    const again = await b.call(
      'accounts',
      'families.import',
      { villageId: 'big', csv: register(3), requestId: rid() },
      ADMIN,
    );
    expect(again.ok).toBe(false);
  });

  it('an import chunk that fails halfway and is run again leaves what one clean run leaves', async () => {
    const sheet = register(450);
    const clean = await importAll({ villageId: 'clean', csv: sheet, requestId: rid() });
    // The second chunk's members insert is lost: families of that chunk written, members not, progress not saved.
    const requestId = rid();
    b.emu.failDbRequest({ action: 'database.insertDocument', collection: 'members', after: 1 });
    const first = data<Progress>(
      await b.call('accounts', 'families.import', { villageId: 'faulty', csv: sheet, requestId }, ADMIN),
    );
    const failed = await b.call('accounts', 'families.importNext', { jobId: first.jobId }, ADMIN);
    expect(failed.ok).toBe(false);
    // The page (or a retry of the first call) carries on with the same job.
    const resumed = await importAll({ villageId: 'faulty', csv: sheet, requestId });
    const last = resumed[resumed.length - 1].progress;
    expect(last).toMatchObject(clean[clean.length - 1].progress.finished ? { finished: true } : {});
    expect({ ...last, jobId: '', outcomes: [] }).toEqual({
      ...clean[clean.length - 1].progress,
      jobId: '',
      outcomes: [],
    });
    expect(await villageContents('faulty')).toEqual(await villageContents('clean'));
  });

  it('approves 200 claims in chunks within budget; a chunk that fails halfway and is run again approves each once', async () => {
    const rules = data<{ rules: { id: string; code: string }[] }>(
      await b.call('points', 'rules.list', {}, 'o-he'),
    ).rules;
    const c03 = rules.find((r) => r.code === 'C03')?.id as string;
    const son = b.town.banzhu.members['何小明'];
    const record = async (count: number) => {
      const recorded = data<{ lines: { id: string }[] }>(
        await b.call(
          'points',
          'records.create',
          {
            requestId: rid(),
            villageId: 'banzhu',
            lines: Array.from({ length: count }, () => ({
              memberId: son.id,
              ruleId: c03,
              deedDate: dayOf(TEST_NOW),
            })),
          },
          'o-fu',
        ),
      );
      return recorded.lines.map((l) => l.id);
    };
    const available = async () =>
      data<{ available: number }>(await b.call('points', 'home.get', {}, 'o-he')).available;

    // A clean run of 200.
    const before = await available();
    const ids = await record(200);
    const chunks: { progress: Progress; dbRequests: number }[] = [];
    let call = await b.measure(
      'points',
      'review.bulkStart',
      { requestId: rid(), villageId: 'banzhu', claimIds: ids },
      'o-luo',
    );
    for (;;) {
      const progress = data<Progress>(call.res);
      chunks.push({ progress, dbRequests: call.dbRequests });
      if (progress.finished) break;
      call = await b.measure('points', 'review.bulkNext', { jobId: progress.jobId }, 'o-luo');
    }
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.dbRequests).toBeLessThanOrEqual(CHUNK_BUDGET);
    expect(chunks[chunks.length - 1].progress).toMatchObject({
      total: 200,
      done: 200,
      succeeded: 200,
      failed: 0,
    });
    expect(await available()).toBe(before + 200 * 10);

    // The same with a chunk killed after its 5th approval (the 6th commit is lost), then run again.
    const middle = await available();
    const more = await record(60);
    const start = data<Progress>(
      await b.call(
        'points',
        'review.bulkStart',
        { requestId: rid(), villageId: 'banzhu', claimIds: more },
        'o-luo',
      ),
    );
    b.emu.failDbRequest({ action: 'database.commitTransaction', after: 5 });
    expect((await b.call('points', 'review.bulkNext', { jobId: start.jobId }, 'o-luo')).ok).toBe(false);
    let progress = data<Progress>(await b.call('points', 'review.bulkNext', { jobId: start.jobId }, 'o-luo'));
    const outcomes = [...start.outcomes, ...progress.outcomes];
    while (!progress.finished) {
      progress = data<Progress>(await b.call('points', 'review.bulkNext', { jobId: start.jobId }, 'o-luo'));
      outcomes.push(...progress.outcomes);
    }
    expect(progress).toMatchObject({ total: 60, done: 60, succeeded: 60, failed: 0 });
    expect(outcomes.map((o) => o.key)).toEqual(more);
    expect(outcomes.every((o) => o.ok && o.message === '已通过')).toBe(true);
    // Each claim counted once: 60 × 1 分, and the ledger still adds up.
    expect(await available()).toBe(middle + 60 * 10);
    await assertLedgerInvariant(b.emu);
  });

  const decidedNotices = () =>
    b.emu.outbox().filter((m) => JSON.stringify(m).includes('tpl-claim-decided')).length;

  /** 何小明 suggests `count` things; 罗亚倩 starts their bulk approval (its first chunk of 25 runs at once). */
  async function startBulkOfSuggestions(count: number, label: string) {
    const son = b.town.banzhu.members['何小明'];
    const claimIds = await submitSuggestions(
      b,
      { memberId: son.id, deedDate: dayOf(TEST_NOW), count, text: (i) => `${label}${i + 1}` },
      'o-he',
    );
    const before = decidedNotices();
    const start = data(
      await b.call(
        'points',
        'review.bulkStart',
        { requestId: rid(), villageId: 'banzhu', claimIds },
        'o-luo',
      ),
    );
    expect(start).toMatchObject({ total: count, done: 25, finished: false });
    expect(decidedNotices()).toBe(before + 25);
    return { jobId: start.jobId, before };
  }

  it('a bulk approval whose progress record is lost, run again, tells each resident once', async () => {
    const { jobId, before } = await startBulkOfSuggestions(30, '建议');
    // The second chunk approves its 5 claims, then its progress record (the job's update) is lost.
    b.emu.failDbRequest({ action: 'database.modifyDocument', collection: 'jobs' });
    expect((await b.call('points', 'review.bulkNext', { jobId }, 'o-luo')).ok).toBe(false);
    const done = data(await b.call('points', 'review.bulkNext', { jobId }, 'o-luo'));
    expect(done).toMatchObject({ total: 30, done: 30, succeeded: 30, finished: true });
    expect(decidedNotices()).toBe(before + 30);
  });

  it('the same chunk asked for twice at once (a double tap on 继续) approves each claim once and tells each resident once', async () => {
    const available = async () =>
      data<{ available: number }>(await b.call('points', 'home.get', {}, 'o-he')).available;
    const points = await available();
    const { jobId, before } = await startBulkOfSuggestions(35, '双击');

    const [first, second] = await atOnce(b, 'points', () =>
      Promise.all([
        b.call('points', 'review.bulkNext', { jobId }, 'o-luo'),
        b.call('points', 'review.bulkNext', { jobId }, 'o-luo'),
      ]),
    );

    for (const res of [first, second])
      expect(data(res)).toMatchObject({ total: 35, done: 35, finished: true });
    expect(decidedNotices()).toBe(before + 35);
    expect(await available()).toBe(points + 35 * 10);
    await assertLedgerInvariant(b.emu);
  });
});
