/**
 * 绑定积分卡: choose a family member, then components/card-bind reads a card on the back of the phone (NFC),
 * binds it and writes its token; the page lists the family's cards again when one is bound. The family's cards,
 * and 挂失 in one tap (cards.block). iPhones and phones without NFC are offered 我的二维码.
 */
import { chinaDay } from '../../core/time';
import type { CardView } from '../../contract/shop';
import { call } from '../../services/client';

import { errorText } from '../../services/errors';
import { allOk, loadMain, type FamilyPageStatus } from '../../services/page-load';
import { lastingProblem, nfcProblemBeforeStart, spacedUid, type NfcProblem } from '../../services/nfc';
import { currentCareMode } from '../../services/preferences';

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

interface CardBindInstance {
  stop(): void;
}

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
    status: 'loading' as FamilyPageStatus,
    errorMessage: '',
    members: [] as MemberChoice[],
    memberId: '',
    memberName: '',
    cards: [] as CardRow[],
    /** The phone cannot read cards at all (iPhone, no NFC): offer 我的二维码. */
    noNfc: false,
    /** The card-bind component is talking to the server or the tag: the member stays as chosen. */
    binding: false,
  },

  methods: {
    onLoad() {
      this.setData({ careMode: currentCareMode(), noNfc: lastingProblem(nfcProblemBeforeStart()) });
      return this.loadAll();
    },

    onHide() {
      this.stopReading();
    },

    onUnload() {
      this.stopReading();
    },

    /** Only while the reader is shown: the simulator's selectComponent throws when nothing matches. */
    stopReading() {
      if (this.data.status !== 'ready') return;
      (this.selectComponent('#card-bind') as unknown as CardBindInstance | null)?.stop();
    },

    onRetry() {
      return this.loadAll();
    },

    async loadAll() {
      const loaded = await loadMain(
        this,
        async () => {
          const answers = await Promise.all([
            call('accounts', 'families.get', {}),
            call('shop', 'cards.list', {}),
          ]);
          return allOk(answers);
        },
        { unlinked: {} },
      );
      if (!loaded) return;
      const [family, cards] = loaded;
      const members = family.members.map((m) => ({ id: m.id, name: m.name, relation: m.relation }));
      const me = family.members.find((m) => m.isMe) ?? family.members[0];
      const memberId = this.data.memberId || (me?.id ?? '');
      this.setData({
        status: 'ready',
        members,
        memberId,
        memberName: members.find((m) => m.id === memberId)?.name ?? '',
        cards: cards.cards.map(toCardRow),
      });
    },

    async reloadCards() {
      const cards = await call('shop', 'cards.list', {});
      if (cards.ok) this.setData({ cards: cards.data.cards.map(toCardRow) });
    },

    onMember(event: WechatMiniprogram.BaseEvent) {
      if (this.data.binding) return;
      const member = this.data.members.find((m) => m.id === String(event.currentTarget.dataset.id));
      if (member) this.setData({ memberId: member.id, memberName: member.name });
    },

    onCardBusy(event: WechatMiniprogram.CustomEvent<{ busy: boolean }>) {
      this.setData({ binding: event.detail.busy });
    },

    /** Bound (with or without its token written): the family's cards again. */
    onCardBound() {
      return this.reloadCards();
    },

    onCardFailed(event: WechatMiniprogram.CustomEvent<{ stage: string; problem?: NfcProblem }>) {
      if (event.detail.stage === 'nfc') this.setData({ noNfc: lastingProblem(event.detail.problem ?? '') });
      if (event.detail.stage === 'write') return this.reloadCards();
      return undefined;
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
