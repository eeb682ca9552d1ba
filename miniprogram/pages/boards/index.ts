/**
 * 红黑榜: the village's red board (good deeds) and black board (violations: a deduction and 3 months of
 * 暂停评比). Names appear exactly as the server gives them (full or masked, per the village's setting).
 */
import { chinaDay, dayLabel } from '../../core/time';
import type { BoardKind, BoardView } from '../../contract/points';
import { call } from '../../services/client';

import { chooseTab, loadMain, whenRefreshing } from '../../services/page-load';
import { currentCareMode } from '../../services/preferences';
import { pageContent } from '../../behaviors/page-content';

type Status = 'loading' | 'ready' | 'empty' | 'unlinked' | 'error';

interface BoardLine {
  id: string;
  name: string;
  title: string;
  description: string;
  points: string;
  deduction: boolean;
  date: string;
  /** Black board: `暂停评比至2027年2月1日`; '' otherwise. */
  suspension: string;
}

export function toLine(board: BoardView): BoardLine {
  return {
    id: board.id,
    name: board.name,
    title: board.title,
    description: board.description,
    points: board.pointsText ? `${board.pointsText} 分` : '',
    deduction: board.points < 0,
    date: dayLabel(board.date),
    suspension:
      board.board === 'black' && board.suspensionEndsAt
        ? `暂停评比至${dayLabel(chinaDay(board.suspensionEndsAt))}`
        : '',
  };
}

Component({
  behaviors: [pageContent],

  data: {
    status: 'loading' as Status,
    board: 'red' as BoardKind,
    villageName: '',
    lines: [] as BoardLine[],
  },

  methods: {
    onLoad(options?: { board?: string }) {
      this.setData({ careMode: currentCareMode(), board: options?.board === 'black' ? 'black' : 'red' });
      return this.reload();
    },

    onTab(event: WechatMiniprogram.BaseEvent) {
      return chooseTab(this, 'board', event.currentTarget.dataset.value) ? this.reload() : undefined;
    },

    /** The village's red or black board, as the tab shows. */
    async reload(refreshing = false) {
      const { board } = this.data;
      const shown = await loadMain(this, () => call('points', 'boards.list', { board, offset: 0 }), {
        ...whenRefreshing(this, refreshing),
        unlinked: { lines: [] },
        failed: { lines: [] },
        current: () => board === this.data.board,
      });
      if (!shown) return;
      const lines = shown.boards.map(toLine);
      this.setData({ status: lines.length > 0 ? 'ready' : 'empty', villageName: shown.villageName, lines });
    },

    onObject(event: WechatMiniprogram.BaseEvent) {
      const line = this.data.lines.find((l) => l.id === event.currentTarget.dataset.id);
      if (!line) return;
      const label = encodeURIComponent(
        `${this.data.board === 'red' ? '红榜' : '黑榜'}：${line.name} ${line.title}`,
      );
      wx.navigateTo({ url: `/pages/objections/index?type=board&id=${line.id}&label=${label}` });
    },

    onBind() {
      wx.navigateTo({ url: '/pages/family/index' });
    },
  },
});
