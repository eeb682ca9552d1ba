/**
 * 绑定积分卡: choose a family member, tap a card on the back of the phone (NFC), and bind it (cards.bind). When
 * the tag speaks NDEF the server signs a token which is written to the card at once; a card bound with a token
 * is refused at the counter without it, so a failed write says so and the next tap of the same card writes it
 * again. The family's cards, and 挂失 in one tap (cards.block). iPhones and phones without NFC get guidance.
 */
import { chinaDay } from '../../core/time';
import type { CardView } from '../../contract/shop';
import { call } from '../../services/client';

import { errorText, isNotLinked } from '../../services/errors';
import {
  NFC_PROBLEM_TEXT,
  nfcProblemBeforeStart,
  startCardReader,
  type CardReader,
  type DiscoveredTag,
  type NfcProblem,
} from '../../services/nfc';
import { currentCareMode } from '../../services/preferences';

type Status = 'loading' | 'ready' | 'unlinked' | 'error';
/** idle: not reading; waiting: 请贴卡; binding: talking to the server; writing: writing the token to the tag. */
type Reading = 'idle' | 'waiting' | 'binding' | 'writing';

interface MemberChoice {
  id: string;
  name: string;
  relation: string;
}

interface CardRow {
  uid: string;
  uidText: string;
  memberName: string;
  statusLabel: string;
  blocked: boolean;
  detail: string;
}

interface Outcome {
  kind: 'success' | 'warning' | 'error';
  text: string;
}

/** Per page instance: the running reader and a token still to be written to its card. */
interface Session {
  reader: CardReader | null;
  pending: { uid: string; token: string; memberName: string } | null;
}
const sessions = new WeakMap<object, Session>();

/** `04A2B3C4` → `04 A2 B3 C4`. */
const spacedUid = (uid: string): string => uid.replace(/(..)(?!$)/g, '$1 ');

export function toCardRow(card: CardView): CardRow {
  const blocked = card.status === 'blocked';
  return {
    uid: card.uid,
    uidText: spacedUid(card.uid),
    memberName: card.memberName,
    statusLabel: blocked ? '已挂失' : '正常',
    blocked,
    detail: blocked
      ? `${chinaDay(card.blockedAt ?? '')}挂失，柜台已停用此卡`
      : `${chinaDay(card.boundAt)}绑定${card.tokenRequired ? ' · 已写入防伪令牌' : ''}`,
  };
}

Component({
  data: {
    careMode: false,
    status: 'loading' as Status,
    errorMessage: '',
    members: [] as MemberChoice[],
    memberId: '',
    cards: [] as CardRow[],
    /** '' when the phone can read cards (as far as is known before trying). */
    nfcProblem: '' as NfcProblem | '',
    nfcText: '',
    reading: 'idle' as Reading,
    outcome: null as Outcome | null,
  },

  methods: {
    session(): Session {
      let session = sessions.get(this);
      if (!session) {
        session = { reader: null, pending: null };
        sessions.set(this, session);
      }
      return session;
    },

    onLoad() {
      this.setData({ careMode: currentCareMode() });
      const problem = nfcProblemBeforeStart();
      if (problem) this.setData({ nfcProblem: problem, nfcText: NFC_PROBLEM_TEXT[problem] });
      return this.loadAll();
    },

    onHide() {
      this.stopReading();
    },

    onUnload() {
      this.stopReading();
    },

    onRetry() {
      return this.loadAll();
    },

    async loadAll() {
      this.setData({ status: 'loading', errorMessage: '' });
      const [family, cards] = await Promise.all([
        call('accounts', 'families.get', {}),
        call('shop', 'cards.list', {}),
      ]);
      if (!family.ok) {
        if (isNotLinked(family.error)) this.setData({ status: 'unlinked' });
        else this.setData({ status: 'error', errorMessage: family.error.message });
        return;
      }
      if (!cards.ok) {
        this.setData({ status: 'error', errorMessage: cards.error.message });
        return;
      }
      const members = family.data.members.map((m) => ({ id: m.id, name: m.name, relation: m.relation }));
      const me = family.data.members.find((m) => m.isMe) ?? family.data.members[0];
      this.setData({
        status: 'ready',
        members,
        memberId: this.data.memberId || (me?.id ?? ''),
        cards: cards.data.cards.map(toCardRow),
      });
    },

    async reloadCards() {
      const cards = await call('shop', 'cards.list', {});
      if (cards.ok) this.setData({ cards: cards.data.cards.map(toCardRow) });
    },

    onMember(event: WechatMiniprogram.BaseEvent) {
      if (this.data.reading === 'binding' || this.data.reading === 'writing') return;
      this.setData({ memberId: String(event.currentTarget.dataset.id) });
    },

    /** 开始读卡 / 重新读卡. */
    async onStart() {
      if (this.data.reading !== 'idle') return;
      this.setData({ outcome: null });
      const started = await startCardReader((tag) => void this.onTag(tag));
      if (!started.ok) {
        this.setData({ nfcProblem: started.problem, nfcText: NFC_PROBLEM_TEXT[started.problem] });
        return;
      }
      this.session().reader = started.reader;
      this.setData({ reading: 'waiting', nfcProblem: '', nfcText: '' });
    },

    onStop() {
      this.stopReading();
    },

    stopReading() {
      const session = this.session();
      session.reader?.stop();
      session.reader = null;
      if (this.data.reading !== 'idle') this.setData({ reading: 'idle' });
    },

    async onTag(tag: DiscoveredTag) {
      if (this.data.reading !== 'waiting') return;
      const session = this.session();
      if (session.pending && session.pending.uid === tag.uid) {
        await this.writeToken(session.pending.uid, session.pending.token, session.pending.memberName);
        return;
      }
      const member = this.data.members.find((m) => m.id === this.data.memberId);
      if (!member) return;
      this.setData({ reading: 'binding', outcome: null });
      const bound = await call('shop', 'cards.bind', {
        uid: tag.uid,
        memberId: member.id,
        writesToken: tag.ndef,
      });
      if (!bound.ok) {
        this.setData({ reading: 'waiting', outcome: { kind: 'error', text: errorText(bound.error) } });
        return;
      }
      void this.reloadCards();
      if (bound.data.token) {
        await this.writeToken(tag.uid, bound.data.token, member.name);
        return;
      }
      this.finish({ kind: 'success', text: `已为${member.name}绑定积分卡（${spacedUid(tag.uid)}）` });
    },

    async writeToken(uid: string, token: string, memberName: string) {
      const session = this.session();
      this.setData({ reading: 'writing' });
      const written = session.reader
        ? await session.reader.writeToken(token)
        : { ok: false as const, message: '读卡已停止' };
      if (written.ok) {
        session.pending = null;
        this.finish({
          kind: 'success',
          text: `已为${memberName}绑定积分卡（${spacedUid(uid)}），并写入防伪令牌`,
        });
        return;
      }
      session.pending = { uid, token, memberName };
      this.setData({
        reading: 'waiting',
        outcome: {
          kind: 'warning',
          text:
            `卡已绑定给${memberName}，但写入防伪令牌失败：${written.message}。` +
            '这张卡要有令牌才能在超市使用，请把同一张卡再贴到手机背面，重新写入；' +
            '多次失败请找村干部解绑后重新绑定。',
        },
      });
    },

    finish(outcome: Outcome) {
      this.stopReading();
      this.setData({ outcome });
      wx.showToast({ title: '绑定成功', icon: 'success' });
    },

    /** 挂失: confirm, then block at once. */
    onBlock(event: WechatMiniprogram.BaseEvent) {
      const card = this.data.cards.find((c) => c.uid === event.currentTarget.dataset.uid);
      if (!card || card.blocked) return;
      wx.showModal({
        title: '挂失积分卡',
        content: `确定挂失${card.memberName}的积分卡（${card.uidText}）吗？挂失后超市立即停用此卡。`,
        confirmText: '挂失',
        confirmColor: '#d54941',
        success: (res) => {
          if (res.confirm) void this.block(card.uid);
        },
      });
    },

    async block(uid: string) {
      const envelope = await call('shop', 'cards.block', { uid, reason: '家庭挂失' });
      if (!envelope.ok) {
        wx.showToast({ title: errorText(envelope.error), icon: 'none' });
        return;
      }
      const index = this.data.cards.findIndex((c) => c.uid === uid);
      if (index >= 0) this.setData({ [`cards[${index}]`]: toCardRow(envelope.data.card) });
      wx.showToast({ title: '已挂失', icon: 'success' });
    },

    onQr() {
      wx.navigateTo({ url: '/pages/qr/index' });
    },

    onBindFamily() {
      wx.navigateTo({ url: '/pages/family/index' });
    },
  },
});
