/**
 * Activities (志愿服务, 院坝会, 环境整治, trainings) with QR check-in, and the attendance they turn into points.
 *
 * An organiser (a group leader or cadre of the village) creates the activity under a catalogue rule; the phone shows
 * a signed code that refreshes every 30 seconds and is accepted only inside the check-in window, so a photo of it
 * sent to the group chat soon stops working. Villagers scan it (wx.scanCode) to check in, and may check out. The
 * organiser adds people without phones by picking the member or tapping their card (kept as on their behalf).
 * After the event the organiser submits the list, and a second cadre confirms it: maker ≠ checker and nobody
 * confirms their own family's points (core/policy, purpose `activity`); one entry per member under the rule, its
 * caps respected. Confirming runs in chunks of members (each its own transaction), so a long list fits the
 * function's time; the page calls again until nothing remains.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  ACTIVITY_STATUS_LABELS,
  activityTimesRefusal,
  activityTimeText,
  checkInCodeText,
  checkInRefusal,
  codeSlot,
  confirmRefusal,
  CODE_SLOT_MS,
  parseCheckInCode,
  signUpRefusal,
  slotIsCurrent,
  submitRefusal,
} from '../../miniprogram/core/activities';
import { entryMonth, OPEN_MONTH } from '../../miniprogram/core/month';
import { decidePoints, deedDateRefusal } from '../../miniprogram/core/policy';
import { formatSignedPoints } from '../../miniprogram/core/points';
import { capKey, capRefusal } from '../../miniprogram/core/review';
import { normalizeCardUid } from '../../miniprogram/core/shop';
import { dayOf, monthOf, yearOf } from '../../miniprogram/core/time';
import { canManageVillage, canOverseeVillage, holdsInVillage, requireFamily } from '../common/access';
import { callerName, type Caller } from '../common/caller';
import {
  _,
  aggregate,
  find,
  getById,
  now,
  transaction,
  txGet,
  type Tx,
  getExisting,
  txGetExisting,
} from '../common/data';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RefusedError,
} from '../common/errors';
import {
  COLLECTIONS,
  type ActivityDoc,
  type AttendanceDoc,
  type CapDoc,
  type CardDoc,
  type FamilyDoc,
  type MemberDoc,
  type RuleDoc,
  type SignupDoc,
  type VillageDoc,
} from '../common/model';
import { actorOf, approve } from '../common/policy';
import {
  audit,
  derivedId,
  inputHash,
  once,
  updateWithTrail,
  setWithTrail,
  earlierRequest,
} from '../common/writes';
import { txMonthStatus } from './claims';
import { postEntry } from '../common/ledger';
import { ruleFor, snapshot } from './rules';
import { id, requestId } from '../common/zod';
import { definePointsActions } from './schemas';
import { txFamilyById } from '../common/places';
import { pick } from '../common/fields';

/** Members confirmed per call: about 11 requests each, so a call stays near 10 s at 30 ms per request. */
export const CONFIRM_CHUNK = 25;

const instant = z.iso.datetime({ offset: true, message: '时间格式不正确' });

const createInput = z
  .object({
    requestId,
    villageId: id,
    title: z.string().trim().min(2, '请填写活动名称（至少2个字）').max(40),
    ruleId: id,
    place: z.string().trim().min(1, '请填写活动地点').max(40),
    startAt: instant,
    endAt: instant,
    capacity: z.number().int().min(0).max(1000),
    allowFamily: z.boolean(),
  })
  .strict();
const listInput = z
  .object({ villageId: id, status: z.enum(['open', 'submitted', 'confirmed', 'cancelled']).optional() })
  .strict();
const activityIdInput = z.object({ activityId: id }).strict();
const code = z.string().trim().min(1).max(200);
const checkInInput = z.object({ code, requestId, memberIds: z.array(id).min(1).max(10).optional() }).strict();
const checkOutInput = z.object({ code }).strict();
const addOnBehalfInput = z
  .object({
    activityId: id,
    requestId,
    memberId: id.optional(),
    cardUid: z.string().trim().max(64).optional(),
  })
  .strict()
  .refine((v) => (v.memberId ? 1 : 0) + (v.cardUid ? 1 : 0) === 1, '请选择一位村民，或刷他的积分卡');
const membersInput = z
  .object({
    activityId: id,
    /** A name (or part of one), or a household number (户号, digits); every member of the village when absent. */
    query: z.string().trim().max(20, '搜索词最多20个字').optional(),
    offset: z.number().int().min(0).max(10_000).optional(),
    limit: z.number().int().min(1).max(50).optional(),
  })
  .strict();
const statsInput = z
  .object({ villageId: id, year: z.string().regex(/^\d{4}$/, '年份格式应为YYYY') })
  .strict();

export function activityView(a: ActivityDoc) {
  return {
    id: a._id,
    ...pick(a, [
      'villageId',
      'villageName',
      'title',
      'place',
      'startAt',
      'endAt',
      'capacity',
      'allowFamily',
      'status',
      'checkedIn',
      'signedUp',
      'createdByName',
      'submittedByName',
      'confirmedByName',
      'posted',
      'skipped',
    ]),
    ruleTitle: a.rule.title,
    points: a.rule.points,
    timeText: activityTimeText(dates(a)),
    statusLabel: ACTIVITY_STATUS_LABELS[a.status],
  };
}

function attendanceView(a: AttendanceDoc) {
  return {
    ...pick(a, [
      'memberId',
      'memberName',
      'familyId',
      'checkedInAt',
      'checkedOutAt',
      'via',
      'onBehalf',
      'byName',
      'status',
      'skipReason',
    ]),
  };
}

/** Members per page of the organiser's picker, unless the call asks for fewer or more (at most 50). */
export const MEMBERS_PAGE = 20;

/** A name search matches anywhere in the name; the query's own characters are matched literally. */
const literal = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** Dates come back from the database as Date or string depending on the path: one place turns them into Dates. */
const dates = (a: Pick<ActivityDoc, 'startAt' | 'endAt'>) => ({
  startAt: new Date(a.startAt),
  endAt: new Date(a.endAt),
});

const signature = (a: ActivityDoc, slot: number) =>
  createHmac('sha256', a.secret).update(`${a._id}:${slot}`).digest('hex').slice(0, 24);

/** The activity a scanned code names, if its signature is right and its slot current; refusals in words. */
async function activityOfCode(text: string, at: Date): Promise<ActivityDoc> {
  const parsed = parseCheckInCode(text);
  if (!parsed)
    throw new RefusedError('NOT_CHECK_IN_CODE', '这不是活动签到码，请扫描组织者手机上或海报上的签到码');
  const activity = await getById<ActivityDoc>(COLLECTIONS.activities, parsed.activityId);
  const expected = activity ? Buffer.from(signature(activity, parsed.slot)) : null;
  const given = Buffer.from(parsed.signature);
  if (!activity || !expected || expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new RefusedError('BAD_CODE', '签到码无效，请扫描组织者手机上显示的签到码');
  if (!slotIsCurrent(parsed.slot, at.getTime()))
    throw new RefusedError(
      'CODE_EXPIRED',
      '签到码已过期（照片或截图不能签到），请扫描组织者手机上正在显示的签到码',
    );
  return activity;
}

const isOrganiser = (caller: Caller, a: Pick<ActivityDoc, 'createdBy' | 'villageId'>) =>
  caller.openid === a.createdBy || canManageVillage(caller, a.villageId);

const ACTIVITY_NOT_FOUND = '找不到该活动';

function activityOrThrow(activityId: string): Promise<ActivityDoc> {
  return getExisting<ActivityDoc>(COLLECTIONS.activities, activityId, ACTIVITY_NOT_FOUND);
}

function txActivity(tx: Tx, activityId: string): Promise<ActivityDoc> {
  return txGetExisting<ActivityDoc>(tx, COLLECTIONS.activities, activityId, ACTIVITY_NOT_FOUND);
}

const attendanceId = (activityId: string, memberId: string) => `${activityId}_${memberId}`;

/** Why `caller` may not confirm this list (as core/policy decides it for the maker), or null. */
function confirmConflict(caller: Caller, a: ActivityDoc): string | null {
  if (!canManageVillage(caller, a.villageId)) return '只有本村（社区）的干部或镇管理员可以确认签到名单';
  if (a.submittedBy === caller.openid || a.createdBy === caller.openid)
    return '不能确认自己组织或提交的签到名单，需由其他干部或镇管理员确认';
  return null;
}

/** Writes one member's attendance in the caller's transaction, refusing as core/activities says. */
async function txCheckIn(
  tx: Tx,
  activity: ActivityDoc,
  member: MemberDoc,
  at: Date,
  by: { caller: Caller; via: AttendanceDoc['via'] },
): Promise<ActivityDoc> {
  const idOf = attendanceId(activity._id, member._id);
  const already = (await txGet<AttendanceDoc>(tx, COLLECTIONS.attendances, idOf)) !== null;
  const refusal = checkInRefusal({ activity: { ...activity, ...dates(activity) }, member, already, at });
  if (refusal) throw new RefusedError(refusal.code, refusal.message);
  const attendance: Omit<AttendanceDoc, '_id'> = {
    activityId: activity._id,
    activityTitle: activity.title,
    townId: activity.townId,
    villageId: activity.villageId,
    familyId: member.familyId,
    memberId: member._id,
    memberName: member.name,
    year: activity.year,
    checkedInAt: at,
    checkedOutAt: null,
    via: by.via,
    by: by.caller.openid,
    byName: callerName(by.caller),
    onBehalf: by.via !== 'scan',
    status: 'present',
    entryId: null,
    points: 0,
    skipReason: null,
  };
  await tx.collection(COLLECTIONS.attendances).doc(idOf).set({ data: attendance });
  return { ...activity, checkedIn: activity.checkedIn + 1 };
}

/** The activity's counter, written in the same transaction: two check-ins at once conflict, so capacity holds. */
async function txSaveCount(tx: Tx, activity: ActivityDoc): Promise<void> {
  await tx
    .collection(COLLECTIONS.activities)
    .doc(activity._id)
    .update({ data: { checkedIn: activity.checkedIn } });
}

/** Moves the list on (submitted by the organiser, confirmed by the second cadre): who and when, and the trail. */
async function txStep(
  tx: Tx,
  caller: Caller,
  activity: ActivityDoc,
  status: 'submitted' | 'confirmed',
  at: Date,
  trail: { action: string; summary: string },
): Promise<ActivityDoc> {
  const who = status === 'submitted' ? 'submitted' : 'confirmed';
  const update = {
    status,
    [`${who}By`]: caller.openid,
    [`${who}ByName`]: callerName(caller),
    [`${who}At`]: at,
  };
  await updateWithTrail(tx, caller, COLLECTIONS.activities, activity._id, update, activity, { ...trail, at });
  return { ...activity, ...update } as ActivityDoc;
}

export const activityActions = definePointsActions({
  'activities.create': {
    input: createInput,
    handler: async (input, { caller }) => {
      if (
        !canManageVillage(caller, input.villageId) &&
        !holdsInVillage(caller, 'groupLeader', input.villageId)
      )
        throw new ForbiddenError('只有本村（社区）的干部和组长可以发起活动');
      const startAt = new Date(input.startAt);
      const endAt = new Date(input.endAt);
      const at = now();
      const times = activityTimesRefusal(startAt, endAt, at.getTime());
      if (times) throw new InvalidInputError([{ path: times.field, message: times.message }]);
      const activityId = derivedId('a', caller, input.requestId);
      const earlier = await earlierRequest<ActivityDoc>(COLLECTIONS.activities, activityId, input);
      if (earlier) return { activity: activityView(earlier) };
      const [village, rule] = await Promise.all([
        getById<VillageDoc>(COLLECTIONS.villages, input.villageId),
        ruleFor(input.ruleId, input.villageId),
      ]);
      if (!village) throw new NotFoundError('找不到该村（社区）');
      if (rule.points <= 0)
        throw new InvalidInputError([{ path: 'ruleId', message: '活动只能选择加分的细则' }]);
      const activity: ActivityDoc = {
        _id: activityId,
        requestHash: inputHash(input),
        townId: village.townId,
        villageId: village._id,
        villageName: village.name,
        title: input.title,
        rule: snapshot(rule),
        place: input.place,
        startAt,
        endAt,
        capacity: input.capacity,
        allowFamily: input.allowFamily,
        status: 'open',
        checkedIn: 0,
        signedUp: 0,
        secret: randomBytes(24).toString('hex'),
        year: yearOf(startAt),
        createdBy: caller.openid,
        createdByName: callerName(caller),
        createdAt: at,
        submittedBy: null,
        submittedByName: null,
        submittedAt: null,
        confirmedBy: null,
        confirmedByName: null,
        confirmedAt: null,
        posted: 0,
        skipped: 0,
        pointsAwarded: 0,
      };
      await transaction(async (tx) => {
        if (await txGet(tx, COLLECTIONS.activities, activityId)) return;
        await setWithTrail(tx, caller, COLLECTIONS.activities, activity, activity, {
          action: 'activities.create',
          summary: `发起活动“${input.title}”（${rule.title} ${formatSignedPoints(rule.points)}分）`,
          at,
        });
      });
      return { activity: activityView(activity) };
    },
  },

  /** A village's activities, newest first, for its organisers, cadres and supervisors. */
  'activities.list': {
    input: listInput,
    handler: async ({ villageId, status }, { caller }) => {
      if (!canOverseeVillage(caller, villageId) && !holdsInVillage(caller, 'groupLeader', villageId))
        throw new ForbiddenError('您没有查看本村（社区）活动的权限');
      const activities = await find<ActivityDoc>(
        COLLECTIONS.activities,
        status ? { villageId, status } : { villageId },
        { orderBy: [['startAt', 'desc']], limit: 50 },
      );
      return { activities: activities.map(activityView) };
    },
  },

  'activities.get': {
    input: activityIdInput,
    handler: async ({ activityId }, { caller }) => {
      const activity = await activityOrThrow(activityId);
      if (!isOrganiser(caller, activity) && !canOverseeVillage(caller, activity.villageId))
        throw new ForbiddenError('您没有查看这次活动签到名单的权限');
      const attendance = await find<AttendanceDoc>(
        COLLECTIONS.attendances,
        { activityId },
        { orderBy: [['checkedInAt', 'asc']], limit: 1000 },
      );
      return {
        activity: activityView(activity),
        attendance: attendance.map(attendanceView),
        canOrganise: isOrganiser(caller, activity),
        confirmConflict: confirmConflict(caller, activity),
      };
    },
  },

  /** The current check-in code, for the organiser's phone (and a poster printed from it): only inside the window. */
  'activities.code': {
    input: activityIdInput,
    handler: async ({ activityId }, { caller }) => {
      const activity = await activityOrThrow(activityId);
      if (!isOrganiser(caller, activity)) throw new ForbiddenError('只有活动组织者和本村干部可以出示签到码');
      if (activity.status !== 'open') throw new RefusedError('CLOSED', '签到名单已提交，签到码已停用');
      const at = now();
      const slot = codeSlot(at.getTime());
      return {
        code: checkInCodeText(activity._id, slot, signature(activity, slot)),
        refreshInSeconds: Math.max(1, Math.ceil(((slot + 1) * CODE_SLOT_MS - at.getTime()) / 1000)),
      };
    },
  },

  'activities.signUp': {
    input: activityIdInput,
    handler: async ({ activityId }, { caller }) => {
      const mine = requireFamily(caller);
      const at = now();
      return transaction(async (tx) => {
        const activity = await txActivity(tx, activityId);
        const signupId = attendanceId(activityId, mine.memberId);
        const already = (await txGet(tx, COLLECTIONS.signups, signupId)) !== null;
        const refusal = signUpRefusal({
          activity: { ...activity, ...dates(activity) },
          villageId: mine.villageId,
          already,
          at,
        });
        if (refusal) throw new RefusedError(refusal.code, refusal.message);
        if (already) return { activity: activityView(activity) };
        const signup: Omit<SignupDoc, '_id'> = {
          activityId,
          villageId: activity.villageId,
          familyId: mine.familyId,
          memberId: mine.memberId,
          memberName: callerName(caller),
          at,
        };
        await tx.collection(COLLECTIONS.signups).doc(signupId).set({ data: signup });
        const updated = { ...activity, signedUp: activity.signedUp + 1 };
        await tx
          .collection(COLLECTIONS.activities)
          .doc(activityId)
          .update({ data: { signedUp: updated.signedUp } });
        return { activity: activityView(updated) };
      });
    },
  },

  /** A villager scanned the code: they (and family members who came along, where allowed) check in. */
  'activities.checkIn': {
    input: checkInInput,
    handler: async (input, { caller }) => {
      const mine = requireFamily(caller);
      const at = now();
      const activity = await activityOfCode(input.code, at);
      const memberIds = input.memberIds ?? [mine.memberId];
      if (memberIds.some((m) => m !== mine.memberId) && !activity.allowFamily)
        throw new RefusedError('NO_FAMILY', '这次活动每人自己扫码签到，不能替家人签到');
      const members = await find<MemberDoc>(COLLECTIONS.members, { _id: _.in(memberIds) }, { limit: 10 });
      if (members.length !== new Set(memberIds).size || members.some((m) => m.familyId !== mine.familyId))
        throw new ForbiddenError('只能为本家庭的成员签到');
      return transaction((tx) =>
        once(tx, caller, input, 'activities.checkIn', at, async () => {
          let current = await txActivity(tx, activity._id);
          for (const member of members)
            current = await txCheckIn(tx, current, member, at, { caller, via: 'scan' });
          await txSaveCount(tx, current);
          return {
            activity: activityView(current),
            members: members.map((m) => ({ memberId: m._id, memberName: m.name })),
            checkedInAt: at,
          };
        }),
      );
    },
  },

  'activities.checkOut': {
    input: checkOutInput,
    handler: async (input, { caller }) => {
      const mine = requireFamily(caller);
      const at = now();
      const activity = await activityOfCode(input.code, at);
      return transaction(async (tx) => {
        const idOf = attendanceId(activity._id, mine.memberId);
        const attendance = await txGet<AttendanceDoc>(tx, COLLECTIONS.attendances, idOf);
        if (!attendance) throw new RefusedError('NOT_CHECKED_IN', '您还没有签到，请先扫码签到');
        if (attendance.checkedOutAt) throw new RefusedError('DUPLICATE', '您已经签退过了');
        await tx
          .collection(COLLECTIONS.attendances)
          .doc(idOf)
          .update({ data: { checkedOutAt: at } });
        return { activity: activityView(activity), checkedOutAt: at };
      });
    },
  },

  /**
   * The organiser's member picker for adding someone on their behalf: the village's members by name or household
   * number (户号), a page at a time, each with their household and whether they are already checked in.
   * Five database requests whatever the village's size (the caller, the activity, a page of members or the
   * household's, their families, their attendances).
   */
  'activities.members': {
    input: membersInput,
    handler: async ({ activityId, query, offset = 0, limit = MEMBERS_PAGE }, { caller }) => {
      const activity = await activityOrThrow(activityId);
      if (!isOrganiser(caller, activity)) throw new ForbiddenError('只有活动组织者和本村干部可以代为签到');
      const { villageId } = activity;
      let members: MemberDoc[];
      if (query && /^\d+$/.test(query)) {
        const [family] = await find<FamilyDoc>(
          COLLECTIONS.families,
          { villageId, householdNumber: query },
          { limit: 1 },
        );
        members = family
          ? await find<MemberDoc>(
              COLLECTIONS.members,
              { familyId: family._id },
              { orderBy: [['name', 'asc']], skip: offset, limit: limit + 1 },
            )
          : [];
      } else {
        members = await find<MemberDoc>(
          COLLECTIONS.members,
          query ? { villageId, name: literal(query) } : { villageId },
          {
            orderBy: [
              ['familyId', 'asc'],
              ['name', 'asc'],
            ],
            skip: offset,
            limit: limit + 1,
          },
        );
      }
      const page = members.slice(0, limit);
      const familyIds = [...new Set(page.map((m) => m.familyId))];
      const [families, attended] = page.length
        ? await Promise.all([
            find<FamilyDoc>(COLLECTIONS.families, { _id: _.in(familyIds) }, { limit }),
            find<AttendanceDoc>(
              COLLECTIONS.attendances,
              { _id: _.in(page.map((m) => attendanceId(activityId, m._id))) },
              { limit },
            ),
          ])
        : [[], []];
      return {
        members: page.map((m) => {
          const family = families.find((f) => f._id === m.familyId);
          return {
            memberId: m._id,
            name: m.name,
            relation: m.relation,
            householdNumber: family?.householdNumber ?? '',
            headName: family?.headName ?? '',
            checkedIn: attended.some((a) => a.memberId === m._id),
          };
        }),
        nextOffset: members.length > limit ? offset + limit : null,
      };
    },
  },

  /** The organiser adds someone without a phone, by picking the member or tapping their card; kept as on their behalf. */
  'activities.addOnBehalf': {
    input: addOnBehalfInput,
    handler: async (input, { caller }) => {
      const activity = await activityOrThrow(input.activityId);
      if (!isOrganiser(caller, activity)) throw new ForbiddenError('只有活动组织者和本村干部可以代为签到');
      let memberId = input.memberId ?? null;
      if (input.cardUid !== undefined) {
        const uid = normalizeCardUid(input.cardUid);
        const card = uid ? await getById<CardDoc>(COLLECTIONS.cards, uid) : null;
        if (!card || card.status !== 'bound')
          throw new RefusedError('CARD_UNKNOWN', '这张积分卡没有绑定村民或已挂失，请改为选择村民');
        memberId = card.memberId;
      }
      const member = memberId ? await getById<MemberDoc>(COLLECTIONS.members, memberId) : null;
      if (!member) throw new NotFoundError('找不到该村民');
      const at = now();
      return transaction((tx) =>
        once(tx, caller, input, 'activities.addOnBehalf', at, async () => {
          const current = await txCheckIn(tx, await txActivity(tx, activity._id), member, at, {
            caller,
            via: input.cardUid !== undefined ? 'card' : 'member',
          });
          await txSaveCount(tx, current);
          await audit(tx, caller, {
            townId: activity.townId,
            villageId: activity.villageId,
            action: 'activities.addOnBehalf',
            target: { collection: COLLECTIONS.activities, id: activity._id },
            summary: `代${member.name}签到“${activity.title}”（${input.cardUid !== undefined ? '刷卡' : '选择村民'}）`,
            onBehalfOf: member._id,
            at,
          });
          return { activity: activityView(current), memberName: member.name };
        }),
      );
    },
  },

  /** The organiser closes check-in and hands the list to a second cadre. */
  'activities.submit': {
    input: activityIdInput,
    handler: async ({ activityId }, { caller }) => {
      const at = now();
      return transaction(async (tx) => {
        const activity = await txActivity(tx, activityId);
        if (!isOrganiser(caller, activity))
          throw new ForbiddenError('只有活动组织者和本村干部可以提交签到名单');
        const refusal = submitRefusal({ ...activity, ...dates(activity) }, at);
        if (refusal?.code === 'ALREADY_SUBMITTED') throw new ConflictError(refusal.message);
        if (refusal) throw new RefusedError(refusal.code, refusal.message);
        const submitted = await txStep(tx, caller, activity, 'submitted', at, {
          action: 'activities.submit',
          summary: `提交“${activity.title}”签到名单${activity.checkedIn}人`,
        });
        return { activity: activityView(submitted) };
      });
    },
  },

  /**
   * A second cadre confirms the list: each member present gets one entry under the rule (its cap respected: a
   * member over it is left out with the reason). Up to CONFIRM_CHUNK members per call; call again while `remaining`.
   */
  'activities.confirm': {
    input: activityIdInput,
    handler: async ({ activityId }, { caller }) => {
      let activity = await activityOrThrow(activityId);
      const conflict = confirmConflict(caller, activity);
      if (conflict) throw new RefusedError('SAME_PERSON', conflict);
      const refusal = confirmRefusal(activity.status);
      if (refusal) throw new RefusedError(refusal.code, refusal.message);
      if (activity.status === 'submitted') {
        const at = now();
        activity = await transaction(async (tx) => {
          const current = await txActivity(tx, activityId);
          if (current.status !== 'submitted') return current;
          return txStep(tx, caller, current, 'confirmed', at, {
            action: 'activities.confirm',
            summary: `确认“${current.title}”签到名单${current.checkedIn}人，每人${formatSignedPoints(current.rule.points)}分`,
          });
        });
      }
      // Members of the confirmer's own family wait for another cadre (core/policy: OWN_FAMILY).
      const ownFamily = caller.profile?.familyId ?? null;
      const present = await find<AttendanceDoc>(
        COLLECTIONS.attendances,
        ownFamily
          ? { activityId, status: 'present', familyId: _.neq(ownFamily) }
          : { activityId, status: 'present' },
        { orderBy: [['checkedInAt', 'asc']], limit: CONFIRM_CHUNK + 1 },
      );
      const rule = await getById<RuleDoc>(COLLECTIONS.rules, activity.rule.id);
      let posted = 0;
      let skipped = 0;
      let points = 0;
      for (const attendance of present.slice(0, CONFIRM_CHUNK)) {
        const outcome = await postAttendance(caller, activity, rule?.cap ?? null, attendance._id);
        if (outcome === 'posted') {
          posted += 1;
          points += activity.rule.points;
        } else if (outcome === 'skipped') skipped += 1;
      }
      if (posted + skipped > 0) {
        await transaction(async (tx) => {
          await tx
            .collection(COLLECTIONS.activities)
            .doc(activityId)
            .update({
              data: { posted: _.inc(posted), skipped: _.inc(skipped), pointsAwarded: _.inc(points) },
            });
        });
        activity = { ...activity, posted: activity.posted + posted, skipped: activity.skipped + skipped };
      }
      const remaining = present.length > CONFIRM_CHUNK ? present.length - CONFIRM_CHUNK : 0;
      return { activity: activityView(activity), posted, skipped, remaining };
    },
  },

  /** 村里活动: the caller's village's activities still to come or under way, and the family's attendance. */
  'activities.mine': {
    input: z.object({}).strict(),
    handler: async (_input, { caller }) => {
      const mine = requireFamily(caller);
      const at = now();
      const [village, upcoming, attended, signups] = await Promise.all([
        getById<VillageDoc>(COLLECTIONS.villages, mine.villageId),
        find<ActivityDoc>(
          COLLECTIONS.activities,
          { villageId: mine.villageId, status: 'open', endAt: _.gte(at) },
          { orderBy: [['startAt', 'asc']], limit: 20 },
        ),
        find<AttendanceDoc>(
          COLLECTIONS.attendances,
          { familyId: mine.familyId },
          { orderBy: [['checkedInAt', 'desc']], limit: 20 },
        ),
        find<SignupDoc>(
          COLLECTIONS.signups,
          { memberId: mine.memberId },
          { orderBy: [['at', 'desc']], limit: 50 },
        ),
      ]);
      return {
        villageName: village?.name ?? '',
        upcoming: upcoming.map((a) => ({
          ...activityView(a),
          signedUpByMe: signups.some((s) => s.activityId === a._id),
          checkedInByMe: attended.some((x) => x.activityId === a._id && x.memberId === mine.memberId),
        })),
        attended: attended.map((x) => ({
          activityId: x.activityId,
          activityTitle: x.activityTitle,
          memberName: x.memberName,
          checkedInAt: x.checkedInAt,
          checkedOutAt: x.checkedOutAt,
          status: x.status,
          points: x.points,
        })),
      };
    },
  },

  /**
   * The year per activity and per rule: attendance, points awarded and households reached (动态管理: which rules
   * work). Two aggregations, whatever the number of entries.
   */
  'activities.stats': {
    input: statsInput,
    handler: async ({ villageId, year }, { caller }) => {
      if (!canOverseeVillage(caller, villageId)) throw new ForbiddenError('您没有查看本村（社区）统计的权限');
      type Row = { _id: string; attendance: number; points: number; households: string[] };
      const [village, activities, byActivity, byRule] = await Promise.all([
        getById<VillageDoc>(COLLECTIONS.villages, villageId),
        find<ActivityDoc>(
          COLLECTIONS.activities,
          { villageId, year },
          { orderBy: [['startAt', 'asc']], limit: 200 },
        ),
        aggregate<Row>(COLLECTIONS.attendances, [
          ['match', { villageId, year, status: 'posted' }],
          [
            'group',
            {
              _id: '$activityId',
              attendance: { $sum: 1 },
              points: { $sum: '$points' },
              households: { $addToSet: '$familyId' },
            },
          ],
        ]),
        aggregate<Row & { title: string }>(COLLECTIONS.entries, [
          ['match', { villageId, year, kind: _.in(['award', 'deduction']) }],
          [
            'group',
            {
              _id: '$rule.code',
              title: { $last: '$rule.title' },
              attendance: { $sum: 1 },
              points: { $sum: '$points' },
              households: { $addToSet: '$familyId' },
            },
          ],
        ]),
      ]);
      return {
        villageName: village?.name ?? '',
        year,
        activities: activities
          .filter((a) => a.status !== 'cancelled')
          .map((a) => {
            const row = byActivity.find((r) => r._id === a._id);
            return {
              activityId: a._id,
              title: a.title,
              timeText: activityTimeText(dates(a)),
              attendance: row?.attendance ?? 0,
              points: row?.points ?? 0,
              households: row?.households.length ?? 0,
            };
          }),
        rules: byRule
          .map((r) => ({
            code: r._id,
            title: r.title,
            attendance: r.attendance,
            points: r.points,
            households: r.households.length,
          }))
          .sort((a, b) => b.points - a.points || a.code.localeCompare(b.code)),
      };
    },
  },
});

/** One member's entry, in its own transaction: already done → 'done'; over the rule's cap → 'skipped'. */
async function postAttendance(
  caller: Caller,
  activity: ActivityDoc,
  cap: RuleDoc['cap'],
  idOf: string,
): Promise<'posted' | 'skipped' | 'done'> {
  return transaction(async (tx) => {
    const attendance = await txGet<AttendanceDoc>(tx, COLLECTIONS.attendances, idOf);
    if (!attendance || attendance.status !== 'present') return 'done';
    const at = now();
    const deedDate = dayOf(new Date(activity.startAt));
    const late = deedDateRefusal(deedDate, dayOf(at), OPEN_MONTH, true);
    if (late) throw new RefusedError(late.code, late.message);
    const key = cap ? capKey(activity.rule.code, cap, attendance, deedDate.slice(0, 7)) : null;
    const capCount = key ? ((await txGet<CapDoc>(tx, COLLECTIONS.caps, key))?.count ?? 0) : 0;
    const capped = capRefusal(activity.rule.title, cap, capCount);
    if (capped) {
      await tx
        .collection(COLLECTIONS.attendances)
        .doc(idOf)
        .update({ data: { status: 'skipped', skipReason: capped.note } });
      return 'skipped';
    }
    const status = await txMonthStatus(tx, activity.villageId, deedDate.slice(0, 7));
    const month = entryMonth(deedDate.slice(0, 7), status, monthOf(at));
    const family = await txFamilyById(tx, attendance.familyId);
    const maker = activity.submittedBy ?? activity.createdBy;
    const { entry } = await postEntry(
      tx,
      family,
      {
        memberId: attendance.memberId,
        memberName: attendance.memberName,
        rule: activity.rule,
        kind: 'award',
        points: activity.rule.points,
        month,
        source: { type: 'activity', id: activity._id },
        reason: `参加活动：${activity.title}`,
        recordedBy: maker,
        recordedByName: activity.submittedByName ?? activity.createdByName,
        approvedBy: caller.openid,
        approvedByName: callerName(caller),
        onBehalf: attendance.onBehalf,
        at,
      },
      approve(
        decidePoints({
          purpose: 'activity',
          maker: { openid: maker, familyId: null, townAdmin: false },
          checker: actorOf(caller),
          familyId: family._id,
          points: activity.rule.points,
        }),
      ),
    );
    if (key)
      await tx
        .collection(COLLECTIONS.caps)
        .doc(key)
        .set({ data: { count: capCount + 1 } });
    await tx
      .collection(COLLECTIONS.attendances)
      .doc(idOf)
      .update({ data: { status: 'posted', entryId: entry._id, points: activity.rule.points } });
    return 'posted';
  });
}
