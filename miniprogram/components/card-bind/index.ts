/**
 * 绑定积分卡, written once for the family's own page (pages/card) and the cadre's 户籍与角色: read a card by NFC,
 * bind it to the given member (cards.bind) and, when the tag speaks NDEF, write the server's signed token to it at
 * once. A card bound with a token is refused at the counter without it, so a failed write says so and the next
 * tap of the same card writes it again (no second bind). Phones that cannot read cards get their guidance.
 *
 * Data down: `memberId`, `memberName`, `onBehalf` (a cadre binds for the member: "请让刘奶奶把积分卡…") and
 * `autoStart` (read as soon as the component is shown). Events up:
 * - `bound` `{ card, tokenWritten }`: the card is bound (and its token written, when it takes one);
 * - `failed` `{ stage: 'nfc' | 'bind' | 'write', message, problem?, card? }`: the phone cannot read (`problem`),
 *   the server refused, or the token could not be written (the card is bound: `card`);
 * - `cancelled`: reading stopped before a card was bound (停止读卡, or the page hidden);
 * - `busy` `{ busy }`: talking to the server or the tag, when the page should not switch member or close.
 * The page may call `stop()` (it stops by itself when the page hides or the component goes).
 */
import type { CardView } from '../../contract/shop';
import { call } from '../../services/client';
import { errorText } from '../../services/errors';
import {
  lastingProblem,
  NFC_PROBLEM_TEXT,
  nfcProblemBeforeStart,
  spacedUid,
  startCardReader,
  type CardReader,
  type DiscoveredTag,
  type NfcProblem,
} from '../../services/nfc';
import { pageState } from '../../services/page-state';

/** idle: not reading; waiting: 请贴卡; binding: talking to the server; writing: writing the token to the tag. */
type Reading = 'idle' | 'waiting' | 'binding' | 'writing';

interface Outcome {
  kind: 'success' | 'warning' | 'error';
  text: string;
}

/** The running reader, a token still to be written to its card (with the card), and whether the component is gone. */
interface Hidden {
  reader: CardReader | null;
  pending: { uid: string; token: string; memberName: string; card: CardView } | null;
  gone: boolean;
}
const stateOf = pageState<Hidden>(() => ({ reader: null, pending: null, gone: false }));

Component({
  properties: {
    memberId: { type: String, value: '' },
    memberName: { type: String, value: '' },
    onBehalf: { type: Boolean, value: false },
    autoStart: { type: Boolean, value: false },
  },

  data: {
    reading: 'idle' as Reading,
    /** '' when the phone can read cards (as far as is known). */
    problem: '' as NfcProblem | '',
    problemText: '',
    lasting: false,
    outcome: null as Outcome | null,
  },

  lifetimes: {
    attached() {
      stateOf(this).gone = false;
      const problem = nfcProblemBeforeStart();
      if (problem) this.showProblem(problem);
      else if (this.data.autoStart) void this.start();
    },
    detached() {
      stateOf(this).gone = true;
      this.stopReader();
    },
  },

  pageLifetimes: {
    hide() {
      this.stop();
    },
  },

  methods: {
    showProblem(problem: NfcProblem) {
      this.setData({ problem, problemText: NFC_PROBLEM_TEXT[problem], lasting: lastingProblem(problem) });
    },

    /** 开始读卡 / 重新读卡 / 再绑一张卡. */
    async start() {
      if (this.data.reading !== 'idle' || this.data.lasting) return;
      this.setData({ outcome: null });
      const started = await startCardReader((tag) => void this.onTag(tag));
      if (!started.ok) {
        this.showProblem(started.problem);
        this.triggerEvent('failed', {
          stage: 'nfc',
          problem: started.problem,
          message: NFC_PROBLEM_TEXT[started.problem],
        });
        return;
      }
      if (stateOf(this).gone) {
        started.reader.stop();
        return;
      }
      stateOf(this).reader = started.reader;
      this.setData({ reading: 'waiting', problem: '', problemText: '', lasting: false });
    },

    /** 停止读卡 (also when the page hides): a card not yet bound is `cancelled`. */
    stop() {
      const wasWaiting = this.data.reading === 'waiting';
      this.stopReader();
      if (wasWaiting && !stateOf(this).pending) this.triggerEvent('cancelled');
    },

    stopReader() {
      const state = stateOf(this);
      state.reader?.stop();
      state.reader = null;
      if (this.data.reading !== 'idle' && !state.gone) this.setReading('idle');
    },

    setReading(reading: Reading) {
      const wasBusy = this.data.reading === 'binding' || this.data.reading === 'writing';
      const busy = reading === 'binding' || reading === 'writing';
      this.setData({ reading });
      if (busy !== wasBusy) this.triggerEvent('busy', { busy });
    },

    async onTag(tag: DiscoveredTag) {
      if (this.data.reading !== 'waiting') return;
      const state = stateOf(this);
      if (state.pending && state.pending.uid === tag.uid) {
        const { token, memberName, card } = state.pending;
        await this.writeToken(card, token, memberName);
        return;
      }
      const { memberId, memberName } = this.data;
      if (!memberId) return;
      this.setReading('binding');
      this.setData({ outcome: null });
      const bound = await call('shop', 'cards.bind', { uid: tag.uid, memberId, writesToken: tag.ndef });
      if (state.gone) return;
      if (!bound.ok) {
        const message = errorText(bound.error);
        this.setReading('waiting');
        this.setData({ outcome: { kind: 'error', text: message } });
        this.triggerEvent('failed', { stage: 'bind', message });
        return;
      }
      if (bound.data.token) {
        await this.writeToken(bound.data.card, bound.data.token, memberName);
        return;
      }
      this.finish(bound.data.card, false, `已为${memberName}绑定积分卡（${spacedUid(tag.uid)}）`);
    },

    async writeToken(card: CardView, token: string, memberName: string) {
      const state = stateOf(this);
      this.setReading('writing');
      const written = state.reader
        ? await state.reader.writeToken(token)
        : { ok: false as const, message: '读卡已停止' };
      if (state.gone) return;
      if (written.ok) {
        state.pending = null;
        this.finish(card, true, `已为${memberName}绑定积分卡（${spacedUid(card.uid)}），并写入防伪令牌`);
        return;
      }
      state.pending = { uid: card.uid, token, memberName, card };
      const again = this.data.onBehalf
        ? '请让村民把同一张卡再贴到手机背面，重新写入。'
        : '请把同一张卡再贴到手机背面，重新写入；多次失败请找村干部解绑后重新绑定。';
      this.setReading('waiting');
      this.setData({
        outcome: {
          kind: 'warning',
          text: `卡已绑定给${memberName}，但写入防伪令牌失败：${written.message}。这张卡要有令牌才能在超市使用，${again}`,
        },
      });
      this.triggerEvent('failed', { stage: 'write', message: written.message, card });
    },

    finish(card: CardView, tokenWritten: boolean, text: string) {
      this.stopReader();
      this.setData({ outcome: { kind: 'success', text } });
      wx.showToast({ title: '绑定成功', icon: 'success' });
      this.triggerEvent('bound', { card, tokenWritten });
    },

    onStart() {
      return this.start();
    },

    onStop() {
      this.stop();
    },
  },
});
