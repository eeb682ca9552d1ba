/**
 * Red and black boards (红黑榜), per village. A black entry deducts points and suspends the family from ranking
 * and redemption for three months from the entry date (China time); the suspension lapses by itself.
 */
import { displayName, familyDisplayName } from '../../miniprogram/core/names';
import { familyFacts, namePolicy, publicBoardName, publicBoardsWhere } from '../common/public';
import { formatSignedPoints } from '../../miniprogram/core/points';
import { extendSuspension } from '../../miniprogram/core/suspension';
import { addMonths, dayOf, monthOf, startOfDay, yearOf } from '../../miniprogram/core/time';
import { requireFamily, requireManage } from '../common/access';
import { callerName } from '../common/caller';
import { find, getById, now, transaction, txGet, type Tx, getExisting, newestFirst } from '../common/data';
import { ConflictError, InvalidInputError, NotFoundError, RefusedError } from '../common/errors';
import {
  COLLECTIONS,
  type BoardDoc,
  type FamilyDoc,
  type MemberDoc,
  type MonthDoc,
  type ScoreDoc,
} from '../common/model';
import { notify } from '../common/notify';
import { derivedId, inputHash, setWithTrail, updateWithTrail, txEarlierRequest } from '../common/writes';
import { monthDocId, txMonthStatus } from './claims';
import { newScore, scoreId, postManualEntry } from '../common/ledger';
import { entryMonth, OPEN_MONTH } from '../../miniprogram/core/month';
import {
  boardEntryRefusal,
  boardPublication,
  deedDateRefusal,
  integrityOf,
  pointsBoundsRefusal,
  SECOND_CHECK_MESSAGE,
  type Actor,
  type IntegritySettings,
} from '../../miniprogram/core/policy';
import { actorOf } from '../common/policy';
import { manualMark, txMark } from '../common/marks';
import { villageById, txFamilyById } from '../common/places';
import type { Caller } from '../common/caller';
import {
  boardConfirmInput,
  boardPublishInput,
  boardsListInput,
  boardsPendingInput,
  definePointsActions,
} from './schemas';

/** A board entry with the name given: what the public sees (`publicBoardName`), or in full for its cadres. */
export function boardView(board: BoardDoc, name: string) {
  return {
    id: board._id,
    board: board.board,
    name,
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
      await tx
        .collection(COLLECTIONS.scores)
        .doc(id)
        .set({ data: newScore(family, period, 0, until) });
    }
  }
}

async function familyHeadOpenid(familyId: string): Promise<string | null> {
  const members = await find<MemberDoc>(COLLECTIONS.members, { familyId, relation: '户主' }, { limit: 1 });
  return members[0]?.openid ?? null;
}

export const boardsActions = definePointsActions({
  /**
   * The village's public boards: names as `core/publicity` allows (the village's policy, the family's red-board
   * consent), black entries only until their suspension ends (they stay in the family's ledger and the audit).
   */
  'boards.list': {
    input: boardsListInput,
    handler: async (input, { caller }) => {
      const villageId = input.villageId ?? requireFamily(caller).villageId;
      const village = await villageById(villageId);
      const at = now();
      const where: Record<string, string> = { villageId };
      if (input.board) where.board = input.board;
      const shown = publicBoardsWhere(where, at);
      const boards = await newestFirst<BoardDoc>(COLLECTIONS.boards, shown, 'publishedAt', input.offset, 30);
      const families = await familyFacts(boards.map((b) => b.familyId));
      const policy = namePolicy(village);
      return {
        villageName: village.name,
        boards: boards.flatMap((b) => {
          const name = publicBoardName(b, families.get(b.familyId), policy, at);
          return name === null ? [] : [boardView(b, name)];
        }),
      };
    },
  },

  /**
   * A village cadre publishes a red or black entry; a black one deducts and suspends, in one transaction. Nobody
   * publishes for their own family, and amounts are bounded by the village's settings. A bonus or deduction above
   * the village's `secondCheckAbovePoints` waits (`pending`, nothing moves) for a second cadre, or the town admin
   * where the village has one cadre (`boards.confirm`).
   */
  'boards.publish': {
    input: boardPublishInput,
    handler: async (input, { caller }) => {
      requireManage(caller, input.villageId);
      const at = now();
      const typed = boardEntryRefusal(input, dayOf(at));
      if (typed) throw new InvalidInputError([{ path: typed.field, message: typed.message }]);
      const village = await villageById(input.villageId);
      const previous = await getById<MonthDoc>(
        COLLECTIONS.months,
        monthDocId(input.villageId, addMonths(monthOf(at), -1)),
      );
      const late = deedDateRefusal(input.date, dayOf(at), previous ?? OPEN_MONTH);
      if (late) throw new RefusedError(late.code, late.message, { path: 'date' });
      const family = await getById<FamilyDoc>(COLLECTIONS.families, input.familyId);
      if (!family || family.villageId !== input.villageId)
        throw new NotFoundError('本村（社区）没有这个家庭');
      let person: MemberDoc | null = null;
      if (input.memberId) {
        person = await getById<MemberDoc>(COLLECTIONS.members, input.memberId);
        if (!person || person.familyId !== family._id) throw new NotFoundError('该家庭没有这位成员');
      }
      const settings = integrityOf(village.settings);
      const me = actorOf(caller);
      const publication = boardPublication({
        maker: me,
        familyId: family._id,
        points: input.points,
        settings,
      });
      if (!publication.ok) throw new RefusedError(publication.code, publication.message);
      const needsSecond = publication.needsSecondCheck;
      const id = derivedId('b', caller, input.requestId);
      const published = await transaction(async (tx) => {
        const earlier = await txEarlierRequest<BoardDoc>(tx, COLLECTIONS.boards, id, input);
        if (earlier) return earlier;
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
          entryId: null,
          status: needsSecond ? 'pending' : 'published',
          publishedBy: caller.openid,
          publishedByName: callerName(caller),
          publishedAt: at,
          confirmedBy: null,
          suspensionEndsAt: null,
          requestHash: inputHash(input),
        };
        const done = needsSecond
          ? await checkBoardPoints(tx, { _id: id, ...board }, me, settings)
          : await applyBoard(tx, caller, { _id: id, ...board }, me, me, settings, at);
        await setWithTrail(tx, caller, COLLECTIONS.boards, { ...done, _id: id }, family, {
          action: 'boards.publish',
          summary: `${needsSecond ? '提交' : '发布'}${input.board === 'red' ? '红榜' : '黑榜'}：${board.personName}“${input.title}”${input.points ? formatSignedPoints(input.points) + '分' : ''}${needsSecond ? `（${SECOND_CHECK_MESSAGE}）` : ''}`,
          at,
        });
        return done;
      });
      if (
        published.board === 'black' &&
        published.status === 'published' &&
        published.publishedAt.getTime() === at.getTime()
      ) {
        await noticeBlackBoard(published);
      }
      return {
        // As the public will see it (a pending entry: in full, it is not public yet).
        board: boardView(
          published,
          publicBoardName(published, family, namePolicy(village), at) ?? publishedName(published),
        ),
        needsSecondCheck: published.status === 'pending' ? SECOND_CHECK_MESSAGE : null,
      };
    },
  },

  /** Board entries waiting for a second cadre (the village's cadres and the town admin). */
  'boards.pending': {
    input: boardsPendingInput,
    handler: async ({ villageId }, { caller }) => {
      requireManage(caller, villageId);
      const village = await villageById(villageId);
      const boards = await find<BoardDoc>(
        COLLECTIONS.boards,
        { villageId, status: 'pending' },
        { orderBy: [['publishedAt', 'asc']], limit: 50 },
      );
      const me = actorOf(caller);
      return {
        boards: boards.map((b) => ({
          ...boardView(b, publishedName(b)),
          conflict:
            b.publishedBy === me.openid
              ? '不能确认自己发布的红黑榜，需由其他干部或镇管理员确认'
              : me.familyId === b.familyId
                ? '不能确认本家庭的红黑榜，需由其他干部或镇管理员确认'
                : null,
        })),
        villageName: village.name,
      };
    },
  },

  /** A second cadre (or the town admin) confirms a pending board entry: the points (and a suspension) move now. */
  'boards.confirm': {
    input: boardConfirmInput,
    handler: async ({ boardId }, { caller }) => {
      const at = now();
      const board = await getExisting<BoardDoc>(COLLECTIONS.boards, boardId, '找不到该榜单记录');
      requireManage(caller, board.villageId);
      const village = await villageById(board.villageId);
      const settings = integrityOf(village.settings);
      const done = await transaction(async (tx) => {
        const current = await txGet<BoardDoc>(tx, COLLECTIONS.boards, boardId);
        if (!current || current.status !== 'pending') throw new ConflictError('该榜单记录已处理');
        const maker = { openid: current.publishedBy, familyId: null, townAdmin: false };
        const applied = await applyBoard(
          tx,
          caller,
          { ...current, _id: boardId },
          maker,
          actorOf(caller),
          settings,
          at,
        );
        const published = { status: 'published', entryId: applied.entryId, confirmedBy: caller.openid };
        await updateWithTrail(tx, caller, COLLECTIONS.boards, boardId, published, current, {
          action: 'boards.confirm',
          summary: `确认${current.board === 'red' ? '红榜' : '黑榜'}：${current.personName}“${current.title}”${formatSignedPoints(current.points)}分`,
          at,
        });
        return applied;
      });
      // Only the confirmation that moved the points gets here (a retry is refused above as 已处理).
      if (done.board === 'black') await noticeBlackBoard(done);
      const family = (await familyFacts([done.familyId])).get(done.familyId);
      return {
        board: boardView(done, publicBoardName(done, family, namePolicy(village), at) ?? publishedName(done)),
      };
    },
  },
});

/** Tells the family's head that a black entry was published: what, how much, and until when it is suspended. */
async function noticeBlackBoard(board: Pick<BoardDoc, 'familyId' | 'title' | 'points' | 'suspensionEndsAt'>) {
  await notify('blackBoard', await familyHeadOpenid(board.familyId), 'pages/boards/index', {
    thing1: board.title,
    number2: formatSignedPoints(board.points),
    date3: board.suspensionEndsAt ? dayOf(board.suspensionEndsAt) : '',
    thing4: '如有异议请在公示期内提出',
  });
}

/** The entry's name in full, for the cadres who confirm it (not a public surface). */
function publishedName(board: BoardDoc): string {
  return board.memberId ? displayName(board.personName, 'full') : familyDisplayName(board.personName, 'full');
}

/** The policy's bounds on a board's points proposed for a second check (nothing moves yet). */
async function checkBoardPoints(tx: Tx, board: BoardDoc, maker: Actor, settings: IntegritySettings) {
  const familyMonthManual = await txMark(tx, manualMark(board.familyId, monthOf(board.publishedAt)));
  const refusal = pointsBoundsRefusal({
    purpose: 'board',
    maker,
    checker: null,
    familyId: board.familyId,
    points: board.points,
    familyMonthManual,
    settings,
  });
  if (refusal) throw new RefusedError(refusal.code, refusal.message);
  return board;
}

/** Moves the board's points and suspension (a published board, or a pending one being confirmed). */
async function applyBoard(
  tx: Tx,
  caller: Caller,
  board: BoardDoc,
  maker: Actor,
  checker: Actor,
  settings: IntegritySettings,
  at: Date,
): Promise<BoardDoc> {
  let current = await txFamilyById(tx, board.familyId);
  let entryId: string | null = null;
  if (board.points !== 0) {
    const month = entryMonthFor(
      await txMonthStatus(tx, current.villageId, board.date.slice(0, 7)),
      board,
      at,
    );
    const posted = await postManualEntry(
      tx,
      current,
      {
        memberId: board.memberId,
        memberName: board.memberId ? board.personName : null,
        rule: null,
        kind: 'board',
        points: board.points,
        month,
        source: { type: 'board', id: board._id },
        reason: `${board.board === 'red' ? '红榜' : '黑榜'}：${board.title}`,
        recordedBy: board.publishedBy,
        recordedByName:
          board.publishedByName ?? (board.publishedBy === caller.openid ? callerName(caller) : '干部'),
        approvedBy: caller.openid,
        approvedByName: callerName(caller),
        onBehalf: false,
        at,
      },
      { purpose: 'board', maker, checker, settings },
    );
    entryId = posted.entry._id;
    current = posted.family;
  }
  let suspensionEndsAt: Date | null = null;
  if (board.board === 'black') {
    const until = current.suspendedUntil ? new Date(current.suspendedUntil) : null;
    // The suspension runs from the entry date (China time), not from when it was typed in.
    suspensionEndsAt = extendSuspension(null, startOfDay(board.date));
    await setSuspension(tx, current, extendSuspension(until, startOfDay(board.date)), at);
  }
  return { ...board, entryId, suspensionEndsAt, status: 'published', confirmedBy: caller.openid };
}

function entryMonthFor(status: Awaited<ReturnType<typeof txMonthStatus>>, board: BoardDoc, at: Date): string {
  return entryMonth(board.date.slice(0, 7), status, monthOf(at));
}
