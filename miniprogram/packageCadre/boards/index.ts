/**
 * 红黑榜管理 (village cadres): publish a red or black board entry for a family (a member optional) with title,
 * description, points and date — a black entry shows the deduction and that the family's ranking and
 * redemption are suspended for 3 months — and list what the village has published. A bonus or deduction above the
 * village's setting waits for a second cadre (or the town admin where the village has one): 待确认 lists them
 * with 确认, or says why this person may not confirm one (their own, or their family's).
 */
import { pagedSection, type SectionStatus } from '../../behaviors/paged-list';
import { chinaDay } from '../../core/time';
import { chinaToday } from '../../services/clock';
import type { BoardView } from '../../contract/points';
import { formatPoints, parsePoints } from '../../core/points';
import { call } from '../../services/client';

import { errorText } from '../../services/errors';
import { newRequestId } from '../../services/request-id';
import { openFamilyPicker } from '../lib/families';
import { villagesReaching } from '../lib/scope';
import { villageScope } from '../../behaviors/village-scope';
import { pageState } from '../../services/page-state';
import { FORM_SUBMIT, sendOnce } from '../../services/send';
import type { WorkPageStatus } from '../../services/page-load';

type Board = 'red' | 'black';

/** What a published and a pending entry both show: who, which board, for what and how many points. */
interface BoardLine {
  id: string;
  black: boolean;
  boardLabel: string;
  name: string;
  title: string;
  pointsText: string;
}

function boardLine(board: BoardView): BoardLine {
  return {
    id: board.id,
    black: board.board === 'black',
    boardLabel: board.board === 'black' ? '黑榜' : '红榜',
    name: board.name,
    title: board.title,
    pointsText: board.pointsText ? `${board.pointsText} 分` : '',
  };
}

interface BoardRow extends BoardLine {
  description: string;
  date: string;
  suspension: string;
}

export function toBoardRow(board: BoardView): BoardRow {
  return {
    ...boardLine(board),
    description: board.description,
    date: board.date,
    suspension: board.suspensionEndsAt ? `暂停评比至${chinaDay(board.suspensionEndsAt)}` : '',
  };
}

/** The village's board entries, newest first, 加载更多 below. */
const boardsSection = pagedSection({
  key: 'boards',
  pageSize: 30,
  fetch: (villageId: string, offset: number) => call('points', 'boards.list', { villageId, offset }),
  toRows: (data) => data.boards.map(toBoardRow),
});

interface PendingRow extends BoardLine {
  /** Why this person may not confirm it, or ''. */
  conflict: string;
}

export function toPendingRow(board: BoardView & { conflict: string | null }): PendingRow {
  return { ...boardLine(board), conflict: board.conflict ?? '' };
}

/** What a black entry will do, shown before publishing. */
export function deductionNotice(pointsText: string): string {
  const points = parsePoints(pointsText);
  const deduction = points !== null && points > 0 ? `扣除${formatPoints(points)}分，` : '';
  return `发布黑榜将${deduction}并暂停该家庭评比3个月（期间不参与排名、不能兑换）。`;
}

interface Hidden {
  families: { id: string }[];
  members: { id: string }[];
  requestId: string;
  sending: boolean;
}
const stateOf = pageState<Hidden>(() => ({
  families: [],
  members: [],
  requestId: newRequestId(),
  sending: false,
}));

const NO_MEMBER = '不指定成员（整户）';

Component({
  behaviors: [villageScope],

  data: {
    status: 'loading' as WorkPageStatus,
    errorMessage: '',
    board: 'red' as Board,
    familyLabels: [] as string[],
    familyIndex: -1,
    memberNames: [NO_MEMBER] as string[],
    memberIndex: 0,
    title: '',
    description: '',
    points: '',
    date: '',
    today: '',
    notice: '',
    formError: '',
    submitting: false,
    boardsStatus: 'loading' as SectionStatus,
    boardsMessage: '',
    boards: [] as BoardRow[],
    boardsHasMore: false,
    boardsLoadingMore: false,
    pending: [] as PendingRow[],
    confirming: '',
  },

  methods: {
    async onLoad() {
      const today = chinaToday();
      stateOf(this).requestId = newRequestId();
      if (
        await this.openVillageScope(villagesReaching(['villageCadre', 'townAdmin']), {
          loading: { today, date: today },
        })
      )
        await this.loadVillage();
    },

    /** The village's families for the picker and its published boards. */
    async loadVillage() {
      const village = this.currentVillage();
      if (!village) return;
      const families = await openFamilyPicker(this, village.id, { memberNames: [NO_MEMBER], memberIndex: 0 });
      if (!families) return;
      stateOf(this).families = families;
      await this.loadBoards();
    },

    onMoreBoards() {
      return boardsSection.loadMore(this, this.currentVillage()?.id);
    },

    async loadBoards() {
      const village = this.currentVillage();
      if (!village) return;
      if (!(await boardsSection.loadFirst(this, village.id))) return;
      const pending = await call('points', 'boards.pending', { villageId: village.id });
      this.setData({ pending: pending.ok ? pending.data.boards.map(toPendingRow) : [] });
    },

    /** 确认 a pending board entry as the second cadre: the points move now. */
    async onConfirm(e: WechatMiniprogram.TouchEvent) {
      const boardId = String(e.currentTarget.dataset.id);
      if (this.data.confirming) return;
      this.setData({ confirming: boardId });
      const envelope = await call('points', 'boards.confirm', { boardId });
      this.setData({ confirming: '' });
      if (!envelope.ok) {
        wx.showModal({ title: '不能确认', content: errorText(envelope.error), showCancel: false });
        return;
      }
      wx.showToast({ title: '已确认，积分已计入', icon: 'success' });
      await this.loadBoards();
    },

    onBoardTap(e: WechatMiniprogram.TouchEvent) {
      const board = e.currentTarget.dataset.board as Board;
      this.setData({
        board,
        notice: board === 'black' ? deductionNotice(this.data.points) : '',
        formError: '',
      });
    },

    async onFamilyChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const familyIndex = Number(e.detail.value);
      const family = stateOf(this).families[familyIndex];
      if (!family) return;
      this.setData({ familyIndex, memberNames: [NO_MEMBER], memberIndex: 0, formError: '' });
      const envelope = await call('accounts', 'families.get', { familyId: family.id });
      if (!envelope.ok) {
        wx.showToast({ title: envelope.error.message, icon: 'none' });
        return;
      }
      stateOf(this).members = envelope.data.members;
      this.setData({
        memberNames: [NO_MEMBER, ...envelope.data.members.map((m) => `${m.name}（${m.relation}）`)],
      });
    },

    onMemberChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ memberIndex: Number(e.detail.value) });
    },

    onTitleInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ title: e.detail.value, formError: '' });
    },

    onDescriptionInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ description: e.detail.value });
    },

    onPointsInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const points = e.detail.value;
      this.setData({
        points,
        formError: '',
        notice: this.data.board === 'black' ? deductionNotice(points) : '',
      });
    },

    onDateChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ date: e.detail.value });
    },

    /** Checks the form; returns the points in tenths (negative for black) or null with the reason shown. */
    checkedPoints(): number | null {
      const black = this.data.board === 'black';
      const text = this.data.points.trim();
      if (this.data.familyIndex < 0) return this.refuse('请选择家庭');
      if (this.data.title.trim().length < 2) return this.refuse('请填写标题（至少2个字）');
      if (text === '') return black ? this.refuse('黑榜须填写扣分') : 0;
      const points = parsePoints(text);
      if (points === null || points < 0 || points % 5 !== 0 || points > 1000) {
        return this.refuse('分值须为0.5分的整数倍，不超过100分');
      }
      if (black && points === 0) return this.refuse('黑榜须填写扣分');
      return black ? -points : points;
    },

    refuse(message: string): null {
      this.setData({ formError: message });
      return null;
    },

    async onPublish() {
      const state = stateOf(this);
      if (state.sending) return;
      const points = this.checkedPoints();
      if (points === null) return;
      const village = this.currentVillage();
      if (!village) return;
      const family = state.families[this.data.familyIndex];
      const member = this.data.memberIndex > 0 ? state.members[this.data.memberIndex - 1] : undefined;
      const published = await sendOnce(this, state, FORM_SUBMIT, () =>
        call('points', 'boards.publish', {
          requestId: state.requestId,
          villageId: village.id,
          board: this.data.board,
          familyId: family.id,
          ...(member ? { memberId: member.id } : {}),
          title: this.data.title.trim(),
          description: this.data.description.trim(),
          points,
          date: this.data.date,
        }),
      );
      if (!published) return;
      state.requestId = newRequestId();
      this.setData({
        title: '',
        description: '',
        points: '',
        notice: this.data.board === 'black' ? deductionNotice('') : '',
        familyIndex: -1,
        memberNames: [NO_MEMBER],
        memberIndex: 0,
      });
      if (published.needsSecondCheck)
        wx.showModal({
          title: '已提交，待确认',
          content: `分值超过本村设置，${published.needsSecondCheck}：确认后才计入积分。`,
          showCancel: false,
        });
      else wx.showToast({ title: '已发布', icon: 'success' });
      await this.loadBoards();
    },
  },
});
