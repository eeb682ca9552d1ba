/**
 * The points year (积分年度), run by a CloudBase timer trigger (`config.json` triggers: `pointsYear`, every ten
 * minutes; locally the emulator runs it when its clock moves past a trigger time).
 *
 * Each run, for every village whose setting is not "kept" (core/points-year):
 * - archives each year that is over (earned points per family stay in `scores`; the archive keeps the year's
 *   totals and its top families for the ranking history and champions);
 * - in the 30 days before an expiry, tells each family with points to lose (on the family document, which the home
 *   page shows as "您家有 12 分将于 1月10日 到期" and the fund's health counts, and by subscription message);
 * - once the expiry instant has passed, posts an `expiry` entry per family through postEntry (never by editing
 *   totals), at most once per family and expiry (a mark written in the same transaction).
 * Families are walked in `_id` order in chunks, the cursor kept in the expiry's `expiryRuns` document, and a run
 * stops at its request budget (about 10 s at 30 ms per request); the next run resumes there. Running it again
 * when everything is done changes nothing.
 */
import { z } from 'zod';
import {
  expiringPoints,
  expiryReason,
  isResetDate,
  KEEP_POINTS,
  monthDayText,
  newerYears,
  nextExpiry,
  noticeDue,
  pointsYearWork,
  policyText,
  type PointsYearPolicy,
} from '../../miniprogram/core/points-year';
import { decidePoints } from '../../miniprogram/core/policy';
import { formatPoints } from '../../miniprogram/core/points';
import { dayOf, monthOf } from '../../miniprogram/core/time';
import { canManageVillage, canOverseeVillage } from '../common/access';
import type { Caller } from '../common/caller';
import { _, db, find, getById, now, transaction, txGet, type Tx } from '../common/data';
import { townId } from '../common/env';
import { ForbiddenError } from '../common/errors';
import { addToMark, txMark } from '../common/marks';
import {
  COLLECTIONS,
  type ExpiryRunDoc,
  type FamilyDoc,
  type MemberDoc,
  type ScoreDoc,
  type VillageDoc,
  type YearArchiveDoc,
} from '../common/model';
import { notify } from '../common/notify';
import { approve } from '../common/policy';
import { postEntry, scoreId, yearTop } from '../common/ledger';
import { definePointsActions } from './schemas';
import { txVillageById, villageById } from '../common/places';
import { updateWithTrail, villagePlace } from '../common/writes';

/** Requests one run may make: about 10 s at 30 ms each (CloudBase stops a function at 20 s). */
export const RUN_REQUEST_BUDGET = 330;
/** Families per notice chunk (one score query, one update each, one member query) and per expiry chunk. */
const NOTICE_CHUNK = 50;
const EXPIRY_CHUNK = 25;
/** Requests one family's expiry may take: family, mark, newer years' scores, entry, family update, mark. */
const EXPIRY_REQUESTS_PER_FAMILY = 10;
/** Families kept in a year's archive. */
const ARCHIVE_TOP = 20;

/** The timer's identity in trails and on entries: no person made an expiry, the village's setting did. */
export const TIMER_OPENID = 'timer:pointsYear';
const TIMER_NAME = '积分年度（自动）';

const policySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('keep') }).strict(),
  z.object({ kind: z.literal('expire'), years: z.number().int().min(1).max(10) }).strict(),
  z
    .object({
      kind: z.literal('reset'),
      date: z.string().refine(isResetDate, '清零日期格式应为MM-DD，如01-10'),
    })
    .strict(),
]);
const id = z.string().trim().min(1).max(64);
const setInput = z.object({ villageId: id, policy: policySchema }).strict();
const statusInput = z.object({ villageId: id }).strict();

export const policyOf = (village: VillageDoc): PointsYearPolicy =>
  village.settings?.pointsYear ?? KEEP_POINTS;
/** Expiries before the setting was chosen never apply (a reset date already past this year waits for next year). */
const sinceOf = (village: VillageDoc): Date | null =>
  village.settings?.pointsYearSince ? new Date(village.settings.pointsYearSince) : null;

const runId = (villageId: string, expiresAt: Date) => `${villageId}_${dayOf(expiresAt)}`;
const expiryMark = (familyId: string, expiresAt: Date) => `expiry_${familyId}_${dayOf(expiresAt)}`;

interface Budget {
  left: number;
}

async function loadRun(
  village: VillageDoc,
  expiresAt: Date,
  policy: PointsYearPolicy,
  at: Date,
): Promise<ExpiryRunDoc> {
  const idOf = runId(village._id, expiresAt);
  const existing = await getById<ExpiryRunDoc>(COLLECTIONS.expiryRuns, idOf);
  if (existing) return existing;
  const run: ExpiryRunDoc = {
    _id: idOf,
    townId: village.townId,
    villageId: village._id,
    expiresAt,
    policy,
    noticeCursor: null,
    noticeDone: false,
    noticedFamilies: 0,
    noticedPoints: 0,
    expiryCursor: null,
    expiryDone: false,
    expiredFamilies: 0,
    expiredPoints: 0,
    updatedAt: at,
  };
  const { _id, ...data } = run;
  await db.collection(COLLECTIONS.expiryRuns).doc(_id).set({ data });
  return run;
}

async function saveRun(run: ExpiryRunDoc, change: Partial<ExpiryRunDoc>, at: Date): Promise<ExpiryRunDoc> {
  const data = { ...change, updatedAt: at };
  await db.collection(COLLECTIONS.expiryRuns).doc(run._id).update({ data });
  return { ...run, ...data };
}

/** The next chunk of a village's families with points, after `cursor` in `_id` order. */
function familiesAfter(villageId: string, cursor: string | null, limit: number): Promise<FamilyDoc[]> {
  return find<FamilyDoc>(COLLECTIONS.families, cursor ? { villageId, _id: _.gt(cursor) } : { villageId }, {
    orderBy: [['_id', 'asc']],
    limit,
  });
}

/** Earned points of the newer years for these families (one query): `familyId_period` → earned. */
async function newerEarnedOf(familyIds: string[], years: string[]): Promise<Map<string, number>> {
  const earned = new Map<string, number>();
  if (familyIds.length === 0 || years.length === 0) return earned;
  const ids = familyIds.flatMap((f) => years.map((y) => scoreId(f, y)));
  const scores = await find<ScoreDoc>(COLLECTIONS.scores, { _id: _.in(ids) }, { limit: 1000 });
  for (const s of scores) earned.set(s._id, s.earned);
  return earned;
}

/** One chunk of notices: each family's points to expire on the family document, and a subscription message. */
async function noticeChunk(
  village: VillageDoc,
  run: ExpiryRunDoc,
  at: Date,
  budget: Budget,
): Promise<ExpiryRunDoc> {
  const families = await familiesAfter(village._id, run.noticeCursor, NOTICE_CHUNK);
  const expiresAt = new Date(run.expiresAt);
  const years = newerYears(run.policy, expiresAt, at);
  const earned = await newerEarnedOf(
    families.map((f) => f._id),
    years,
  );
  budget.left -= 3;
  const told: { family: FamilyDoc; points: number }[] = [];
  for (const family of families) {
    const points = expiringPoints(
      run.policy,
      family.available,
      years.map((y) => earned.get(scoreId(family._id, y)) ?? 0),
    );
    if (!noticeDue(points, family.expiryNotice, expiresAt)) continue;
    await db
      .collection(COLLECTIONS.families)
      .doc(family._id)
      .update({ data: { expiryNotice: { points, at: expiresAt } } });
    budget.left -= 1;
    told.push({ family, points });
  }
  if (told.length > 0) {
    const members = await find<MemberDoc>(
      COLLECTIONS.members,
      { familyId: _.in(told.map((t) => t.family._id)), openid: _.neq(null) },
      { limit: 1000 },
    );
    budget.left -= 1;
    for (const { family, points } of told)
      for (const member of members.filter((m) => m.familyId === family._id && m.openid))
        await notify('pointsExpiring', member.openid, 'pages/home/index', {
          thing1: `${family.headName}家可用积分`,
          number2: formatPoints(points),
          date3: dayOf(expiresAt),
          thing4: `请在${monthDayText(expiresAt)}前到积分超市兑换`,
        });
  }
  const last = families[families.length - 1];
  return saveRun(
    run,
    {
      noticeCursor: last ? last._id : run.noticeCursor,
      noticeDone: families.length < NOTICE_CHUNK,
      noticedFamilies: run.noticedFamilies + told.length,
      noticedPoints: run.noticedPoints + told.reduce((s, t) => s + t.points, 0),
    },
    at,
  );
}

/** One family's expiry, in its own transaction; 0 when nothing expires or it was already posted. */
async function expireFamily(tx: Tx, familyId: string, run: ExpiryRunDoc, at: Date): Promise<number> {
  const expiresAt = new Date(run.expiresAt);
  const mark = expiryMark(familyId, expiresAt);
  if ((await txMark(tx, mark)) > 0) return 0;
  const family = await txGet<FamilyDoc>(tx, COLLECTIONS.families, familyId);
  if (!family) return 0;
  const years = newerYears(run.policy, expiresAt, at);
  const newer: number[] = [];
  for (const year of years)
    newer.push((await txGet<ScoreDoc>(tx, COLLECTIONS.scores, scoreId(familyId, year)))?.earned ?? 0);
  const points = expiringPoints(run.policy, family.available, newer);
  await addToMark(tx, mark, 0, 1, at);
  if (family.expiryNotice)
    await tx
      .collection(COLLECTIONS.families)
      .doc(familyId)
      .update({ data: { expiryNotice: null } });
  if (points <= 0) return 0;
  await postEntry(
    tx,
    family,
    {
      memberId: null,
      memberName: null,
      rule: null,
      kind: 'expiry',
      points: -points,
      month: monthOf(at),
      source: { type: 'expiry', id: run._id },
      reason: expiryReason(run.policy, expiresAt),
      recordedBy: TIMER_OPENID,
      recordedByName: TIMER_NAME,
      approvedBy: null,
      approvedByName: null,
      onBehalf: false,
      at,
    },
    approve(
      decidePoints({
        purpose: 'expiry',
        maker: { openid: TIMER_OPENID, familyId: null, townAdmin: false },
        checker: null,
        familyId,
        points: -points,
      }),
    ),
  );
  return points;
}

async function expiryChunk(
  village: VillageDoc,
  run: ExpiryRunDoc,
  at: Date,
  budget: Budget,
): Promise<ExpiryRunDoc> {
  const size = Math.max(
    1,
    Math.min(EXPIRY_CHUNK, Math.floor((budget.left - 2) / EXPIRY_REQUESTS_PER_FAMILY)),
  );
  const families = await familiesAfter(village._id, run.expiryCursor, size);
  budget.left -= 2;
  let expiredFamilies = 0;
  let expiredPoints = 0;
  for (const family of families) {
    if (family.available <= 0 && !family.expiryNotice) continue;
    const points = await transaction((tx) => expireFamily(tx, family._id, run, at));
    budget.left -= EXPIRY_REQUESTS_PER_FAMILY;
    if (points > 0) {
      expiredFamilies += 1;
      expiredPoints += points;
    }
  }
  const last = families[families.length - 1];
  return saveRun(
    run,
    {
      expiryCursor: last ? last._id : run.expiryCursor,
      expiryDone: families.length < size,
      expiredFamilies: run.expiredFamilies + expiredFamilies,
      expiredPoints: run.expiredPoints + expiredPoints,
    },
    at,
  );
}

/** A finished year's archive, once: the village's earned points and its top families, from the stored scores. */
async function archiveYear(village: VillageDoc, year: string, at: Date): Promise<boolean> {
  const idOf = `${village._id}_${year}`;
  if (await getById(COLLECTIONS.yearArchives, idOf)) return false;
  const { scores, top: ranked } = await yearTop(village._id, year, ARCHIVE_TOP, null);
  const archive: Omit<YearArchiveDoc, '_id'> = {
    townId: village.townId,
    villageId: village._id,
    year,
    families: scores.filter((s) => s.earned > 0).length,
    earned: scores.reduce((sum, s) => sum + s.earned, 0),
    top: ranked.map((r) => ({
      familyId: r.familyId,
      familyName: r.familyName,
      earned: r.earned,
      rank: r.rank,
    })),
    at,
  };
  await db.collection(COLLECTIONS.yearArchives).doc(idOf).set({ data: archive });
  return true;
}

/** A stage of an expiry run (its notices, or the expiry itself): how it advances chunk by chunk. */
interface RunStage {
  finished(run: ExpiryRunDoc): boolean;
  /** The families the stage has handled so far. */
  families(run: ExpiryRunDoc): number;
  chunk(village: VillageDoc, run: ExpiryRunDoc, at: Date, budget: Budget): Promise<ExpiryRunDoc>;
  /** Requests a chunk needs left in the budget to start. */
  reserve: number;
}

const NOTICE_STAGE: RunStage = {
  finished: (run) => run.noticeDone,
  families: (run) => run.noticedFamilies,
  chunk: noticeChunk,
  reserve: NOTICE_CHUNK + 5,
};

const EXPIRY_STAGE: RunStage = {
  finished: (run) => run.expiryDone,
  families: (run) => run.expiredFamilies,
  chunk: expiryChunk,
  reserve: EXPIRY_REQUESTS_PER_FAMILY + 3,
};

/**
 * Advances `stage` of the village's run for `expiresAt` chunk by chunk while the budget allows: the families it
 * handled in this run of the timer, and whether the stage is finished.
 */
async function runStage(
  stage: RunStage,
  village: VillageDoc,
  expiresAt: Date,
  policy: PointsYearPolicy,
  at: Date,
  budget: Budget,
): Promise<{ families: number; finished: boolean }> {
  let run = await loadRun(village, expiresAt, policy, at);
  budget.left -= 2;
  const before = stage.families(run);
  while (!stage.finished(run) && budget.left >= stage.reserve)
    run = await stage.chunk(village, run, at, budget);
  return { families: stage.families(run) - before, finished: stage.finished(run) };
}

/** One run of the points year over the town, within the request budget. */
export async function runPointsYear(
  at: Date,
): Promise<{ done: boolean; noticed: number; expired: number; archived: number }> {
  const budget: Budget = { left: RUN_REQUEST_BUDGET };
  const villages = await find<VillageDoc>(COLLECTIONS.villages, { townId: townId() }, { limit: 1000 });
  budget.left -= 1;
  let noticed = 0;
  let expired = 0;
  let archived = 0;
  let done = true;
  for (const village of villages) {
    const policy = policyOf(village);
    const work = pointsYearWork(policy, sinceOf(village), at);
    if (!work) continue;
    if (budget.left < 10) {
      done = false;
      break;
    }
    if (work.archiveYear && (await archiveYear(village, work.archiveYear, at))) archived += 1;
    budget.left -= 3;

    if (work.expiry) {
      const expiry = await runStage(EXPIRY_STAGE, village, work.expiry, policy, at, budget);
      expired += expiry.families;
      if (!expiry.finished) done = false;
    }
    if (work.notice) {
      const notice = await runStage(NOTICE_STAGE, village, work.notice, policy, at, budget);
      noticed += notice.families;
      if (!notice.finished) done = false;
    }
  }
  return { done, noticed, expired, archived };
}

async function statusOf(village: VillageDoc, at: Date) {
  const policy = policyOf(village);
  const next = nextExpiry(policy, at);
  const [runs, archives] = await Promise.all([
    find<ExpiryRunDoc>(
      COLLECTIONS.expiryRuns,
      { villageId: village._id },
      { orderBy: [['expiresAt', 'desc']], limit: 10 },
    ),
    find<YearArchiveDoc>(
      COLLECTIONS.yearArchives,
      { villageId: village._id },
      { orderBy: [['year', 'desc']], limit: 10 },
    ),
  ]);
  const upcoming = next ? runs.find((r) => dayOf(new Date(r.expiresAt)) === dayOf(next)) : undefined;
  return {
    villageName: village.name,
    policy,
    policyText: policyText(policy),
    nextExpiry: next,
    noticedFamilies: upcoming?.noticedFamilies ?? 0,
    noticedPoints: upcoming?.noticedPoints ?? 0,
    runs: runs
      .filter((r) => new Date(r.expiresAt).getTime() <= at.getTime())
      .map((r) => ({
        expiresAt: r.expiresAt,
        expiredFamilies: r.expiredFamilies,
        expiredPoints: r.expiredPoints,
        done: r.expiryDone,
      })),
    archives: archives.map((a) => ({
      year: a.year,
      families: a.families,
      earned: a.earned,
      top: a.top.map((t) => ({ familyName: t.familyName, earned: t.earned, rank: t.rank })),
    })),
  };
}

async function villageOrThrow(villageId: string): Promise<VillageDoc> {
  const village = await villageById(villageId);
  return village;
}

export const pointsYearActions = definePointsActions({
  /** The village decides its points year (its cadres or the town admin); it applies from the next expiry on. */
  'pointsYear.set': {
    input: setInput,
    handler: async ({ villageId, policy }, { caller }) => {
      if (!canManageVillage(caller, villageId))
        throw new ForbiddenError('只有本村（社区）的干部或镇管理员可以设置积分年度');
      const at = now();
      const village = await transaction(async (tx) => {
        const current = await txVillageById(tx, villageId);
        const change = { settings: { ...current.settings, pointsYear: policy, pointsYearSince: at } };
        await updateWithTrail(tx, caller, COLLECTIONS.villages, villageId, change, villagePlace(current), {
          action: 'pointsYear.set',
          summary: `积分年度设为：${policyText(policy)}`,
          at,
        });
        return { ...current, ...change };
      });
      return statusOf(village, at);
    },
  },

  'pointsYear.status': {
    input: statusInput,
    handler: async ({ villageId }, { caller }) => {
      if (!canOverseeVillage(caller, villageId))
        throw new ForbiddenError('您没有查看本村（社区）此项信息的权限');
      return statusOf(await villageOrThrow(villageId), now());
    },
  },

  /** What the timer runs, also for a town admin who wants it now (it only does what is due). */
  'pointsYear.run': {
    input: z.object({}).strict(),
    roles: ['townAdmin'],
    handler: async () => runPointsYear(now()),
  },
});

/** The timer triggers of the `points` function, by trigger name (config.json). */
export const pointsTimers = {
  pointsYear: async (_caller: Caller) => runPointsYear(now()),
};
