/**
 * Red and black boards (红黑榜), per village. A black entry deducts points and suspends the family from ranking
 * and redemption for three months from the entry date (China time); the suspension lapses by itself.
 */
import { displayName, familyDisplayName } from '../../miniprogram/core/names';
import { formatSignedPoints } from '../../miniprogram/core/points';
import { extendSuspension } from '../../miniprogram/core/suspension';
import { dayOf, monthOf, startOfDay, yearOf } from '../../miniprogram/core/time';
import { requireFamily, requireManage } from '../common/access';
import { callerName } from '../common/caller';
import { find, getById, now, transaction, txGet, type Tx } from '../common/data';
import { InvalidInputError, NotFoundError } from '../common/errors';
import {
  COLLECTIONS,
  DEFAULT_VILLAGE_SETTINGS,
  type BoardDoc,
  type FamilyDoc,
  type MemberDoc,
  type ScoreDoc,
  type VillageDoc,
} from '../common/model';
import { notify } from '../common/notify';
import { action } from '../common/router';
import { audit, derivedId } from '../common/writes';
import { txMonthStatus } from './claims';
import { postEntry, scoreId, txFamily } from './ledger';
import { entryMonth } from '../../miniprogram/core/month';
import { boardPublishInput, boardsListInput } from './schemas';

export function boardView(board: BoardDoc, policy: VillageDoc['settings']['nameDisplay']) {
  return {
    id: board._id,
    board: board.board,
    name: board.memberId
      ? displayName(board.personName, policy)
      : familyDisplayName(board.personName, policy),
    title: board.title,
    description: board.description,
    points: board.points,
    pointsText: board.points === 0 ? '' : formatSignedPoints(board.points),
    date: board.date,
    status: board.status,
    suspensionEndsAt: board.suspensionEndsAt,
  };
}

/**
 * Sets the family's suspension end and copies it onto the score documents rankings read for the current
 * month and year (new score documents copy it from the family when they are created).
 */
export async function setSuspension(tx: Tx, family: FamilyDoc, until: Date | null, at: Date): Promise<void> {
  await tx
    .collection(COLLECTIONS.families)
    .doc(family._id)
    .update({ data: { suspendedUntil: until } });
  for (const period of [monthOf(at), yearOf(at)]) {
    const id = scoreId(family._id, period);
    const score = await txGet<ScoreDoc>(tx, COLLECTIONS.scores, id);
    if (score) {
      await tx
        .collection(COLLECTIONS.scores)
        .doc(id)
        .update({ data: { suspendedUntil: until } });
    } else if (until) {
      const doc: Omit<ScoreDoc, '_id'> = {
        townId: family.townId,
        villageId: family.villageId,
        familyId: family._id,
        period,
        familyName: family.headName,
        earned: 0,
        suspendedUntil: until,
      };
      await tx.collection(COLLECTIONS.scores).doc(id).set({ data: doc });
    }
  }
}

async function familyHeadOpenid(familyId: string): Promise<string | null> {
  const members = await find<MemberDoc>(COLLECTIONS.members, { familyId, relation: '户主' }, { limit: 1 });
  return members[0]?.openid ?? null;
}

export const boardsActions = {
  /** The village's boards, names shown per the village's setting. */
  'boards.list': action({
    input: boardsListInput,
    handler: async (input, { caller }) => {
      const villageId = input.villageId ?? requireFamily(caller).villageId;
      const village = await getById<VillageDoc>(COLLECTIONS.villages, villageId);
      if (!village) throw new NotFoundError('找不到该村（社区）');
      const where: Record<string, string> = { villageId, status: 'published' };
      if (input.board) where.board = input.board;
      const boards = await find<BoardDoc>(COLLECTIONS.boards, where, {
        orderBy: [['publishedAt', 'desc']],
        skip: input.offset,
        limit: 30,
      });
      const policy = village.settings?.nameDisplay ?? DEFAULT_VILLAGE_SETTINGS.nameDisplay;
      return { villageName: village.name, boards: boards.map((b) => boardView(b, policy)) };
    },
  }),

  /** A village cadre publishes a red or black entry; a black one deducts and suspends, in one transaction. */
  'boards.publish': action({
    input: boardPublishInput,
    handler: async (input, { caller }) => {
      requireManage(caller, input.villageId);
      const at = now();
      if (input.date > dayOf(at))
        throw new InvalidInputError([{ path: 'date', message: '日期不能晚于今天' }]);
      const family = await getById<FamilyDoc>(COLLECTIONS.families, input.familyId);
      if (!family || family.villageId !== input.villageId)
        throw new NotFoundError('本村（社区）没有这个家庭');
      let person: MemberDoc | null = null;
      if (input.memberId) {
        person = await getById<MemberDoc>(COLLECTIONS.members, input.memberId);
        if (!person || person.familyId !== family._id) throw new NotFoundError('该家庭没有这位成员');
      }
      const id = derivedId('b', caller, input.requestId);
      const published = await transaction(async (tx) => {
        const earlier = await txGet<BoardDoc>(tx, COLLECTIONS.boards, id);
        if (earlier) return earlier;
        let current = await txFamily(tx, family._id);
        let entryId: string | null = null;
        if (input.points !== 0) {
          const status = await txMonthStatus(tx, family.villageId, input.date.slice(0, 7));
          const posted = await postEntry(tx, current, {
            memberId: person?._id ?? null,
            memberName: person?.name ?? null,
            rule: null,
            kind: 'board',
            points: input.points,
            month: entryMonth(input.date.slice(0, 7), status, monthOf(at)),
            source: { type: 'board', id },
            reason: `${input.board === 'red' ? '红榜' : '黑榜'}：${input.title}`,
            recordedBy: caller.openid,
            recordedByName: callerName(caller),
            approvedBy: caller.openid,
            approvedByName: callerName(caller),
            onBehalf: false,
            at,
          });
          entryId = posted.entry._id;
          current = posted.family;
        }
        let suspensionEndsAt: Date | null = null;
        if (input.board === 'black') {
          const current_until = current.suspendedUntil ? new Date(current.suspendedUntil) : null;
          // The suspension runs from the entry date (China time), not from when it was typed in.
          suspensionEndsAt = extendSuspension(null, startOfDay(input.date));
          await setSuspension(tx, current, extendSuspension(current_until, startOfDay(input.date)), at);
        }
        const board: Omit<BoardDoc, '_id'> = {
          townId: family.townId,
          villageId: family.villageId,
          board: input.board,
          familyId: family._id,
          memberId: person?._id ?? null,
          personName: person?.name ?? family.headName,
          title: input.title,
          description: input.description,
          points: input.points,
          date: input.date,
          entryId,
          status: 'published',
          publishedBy: caller.openid,
          publishedAt: at,
          suspensionEndsAt,
        };
        await tx.collection(COLLECTIONS.boards).doc(id).set({ data: board });
        await audit(tx, caller, {
          townId: family.townId,
          villageId: family.villageId,
          action: 'boards.publish',
          target: { collection: COLLECTIONS.boards, id },
          summary: `发布${input.board === 'red' ? '红榜' : '黑榜'}：${board.personName}“${input.title}”${input.points ? formatSignedPoints(input.points) + '分' : ''}`,
          at,
        });
        return { _id: id, ...board };
      });
      if (published.board === 'black' && published.publishedAt.getTime() === at.getTime()) {
        await notify('blackBoard', await familyHeadOpenid(family._id), 'pages/boards/index', {
          thing1: published.title,
          number2: formatSignedPoints(published.points),
          date3: published.suspensionEndsAt ? dayOf(published.suspensionEndsAt) : '',
          thing4: '如有异议请在公示期内提出',
        });
      }
      const village = await getById<VillageDoc>(COLLECTIONS.villages, family.villageId);
      return {
        board: boardView(published, village?.settings?.nameDisplay ?? DEFAULT_VILLAGE_SETTINGS.nameDisplay),
      };
    },
  }),
};
