/**
 * 我的家庭: the family's members (who has linked WeChat), linking this WeChat to a member with the invite code a
 * cadre gives (invites.redeem), the family's counter PIN (pins.set: the shop asks for it above a limit), and
 * 关怀模式 (remembered on this phone). In local mode only, a developer can act as one of the demo identities.
 */
import type { FamiliesGetOutput, FamilyMemberView } from '../../contract/accounts';
import { maskName } from '../../core/names';
import { formatPoints } from '../../core/points';
import { call } from '../../services/client';
import { chinaDay } from '../../core/time';
import { getBackendConfig, setBackendOverride } from '../../services/config';
import { errorText } from '../../services/errors';
import { loadMain, type FamilyPageStatus } from '../../services/page-load';
import { demoIdentities } from '../../services/local.config';
import { currentCareMode, setCareMode } from '../../services/preferences';
import { clearSession } from '../../services/session';
import { pageContent } from '../../behaviors/page-content';

/** A member as 我的家庭 lists them (the cadres' openid is never shown here). */
type MemberRow = Omit<FamilyMemberView, 'openid'>;

interface FamilySummary {
  title: string;
  address: string;
  available: string;
}

interface Identity {
  openid: string;
  label: string;
  current: boolean;
}

export function toSummary(output: FamiliesGetOutput): FamilySummary {
  return {
    title: `${output.family.headName}家（户号 ${output.family.householdNumber}）`,
    address: output.family.address,
    available: `可用积分 ${formatPoints(output.family.available)} 分`,
  };
}

export function consentView(consent: { at: string; byName: string } | null, headName: string) {
  return {
    redBoardConsent: consent !== null,
    consentText: consent
      ? `${consent.byName}已于${chinaDay(consent.at)}同意红榜显示全名，关闭即撤回（村里只显示户号或姓氏时仍按村里的规定）`
      : `关闭时红榜上只显示姓氏（如“${maskName(headName)}”）；打开即同意本村红榜公开您家庭成员的全名，可随时关闭`,
  };
}

function identities(): Identity[] {
  const config = getBackendConfig();
  if (config.mode !== 'local') return [];
  return demoIdentities.map((d) => ({ ...d, current: d.openid === config.openid }));
}

Component({
  behaviors: [pageContent],

  data: {
    status: 'loading' as FamilyPageStatus,
    summary: null as FamilySummary | null,
    members: [] as MemberRow[],
    code: '',
    binding: false,
    bindError: '',
    /** The counter PIN form: the new PIN, the old one (needed to change it), saving, and why it failed. */
    pin: '',
    oldPin: '',
    pinSaving: false,
    pinError: '',
    /** The family's consent to its full name on the red board (个人信息保护法: separate consent, withdrawable). */
    redBoardConsent: false,
    consentText: '',
    consentSaving: false,
    consentError: '',
    /** Local mode only: demo identities to act as. */
    identities: [] as Identity[],
  },

  methods: {
    onLoad() {
      this.setData({ careMode: currentCareMode(), identities: identities() });
      return this.reload();
    },

    /** The family, its members and its consent to the red board. */
    async reload() {
      const family = await loadMain(this, () => call('accounts', 'families.get', {}), {
        quiet: this.data.status === 'ready',
        unlinked: { summary: null, members: [] },
      });
      if (!family) return;
      this.setData({
        status: 'ready',
        ...consentView(family.family.redBoardConsent ?? null, family.family.headName),
        summary: toSummary(family),
        members: family.members.map((m) => ({
          id: m.id,
          name: m.name,
          relation: m.relation,
          partyMember: m.partyMember,
          linked: m.linked,
          isMe: m.isMe,
        })),
      });
    },

    /** Gives or withdraws the consent; the switch shows what the server recorded. */
    async onRedBoardConsent(event: WechatMiniprogram.SwitchChange) {
      if (this.data.consentSaving) return;
      const consent = event.detail.value;
      this.setData({ consentSaving: true, consentError: '' });
      const envelope = await call('accounts', 'families.setRedBoardConsent', { consent });
      if (!envelope.ok) {
        this.setData({
          consentSaving: false,
          consentError: envelope.error.message,
          redBoardConsent: !consent,
        });
        return;
      }
      this.setData({
        consentSaving: false,
        ...consentView(
          envelope.data.redBoardConsent,
          this.data.members.find((m) => m.relation === '户主')?.name ?? '',
        ),
      });
    },

    onCodeInput(event: WechatMiniprogram.Input) {
      this.setData({ code: event.detail.value, bindError: '' });
    },

    async onBind() {
      if (this.data.binding) return;
      const code = this.data.code.trim().toUpperCase();
      if (!/^[A-Z0-9]{8}$/.test(code)) {
        this.setData({ bindError: '邀请码为8位字母或数字' });
        return;
      }
      this.setData({ binding: true, bindError: '' });
      const envelope = await call('accounts', 'invites.redeem', { code });
      this.setData({ binding: false });
      if (!envelope.ok) {
        this.setData({ bindError: errorText(envelope.error) });
        return;
      }
      clearSession();
      this.setData({ code: '' });
      wx.showToast({ title: '绑定成功', icon: 'success' });
      await this.reload();
    },

    onPinInput(event: WechatMiniprogram.Input) {
      this.setData({ pin: event.detail.value, pinError: '' });
    },

    onOldPinInput(event: WechatMiniprogram.Input) {
      this.setData({ oldPin: event.detail.value, pinError: '' });
    },

    async onSavePin() {
      if (this.data.pinSaving) return;
      const pin = this.data.pin.trim();
      const oldPin = this.data.oldPin.trim();
      if (!/^\d{4,6}$/.test(pin)) {
        this.setData({ pinError: '兑换密码为4到6位数字' });
        return;
      }
      this.setData({ pinSaving: true, pinError: '' });
      const envelope = await call('shop', 'pins.set', oldPin ? { pin, oldPin } : { pin });
      this.setData({ pinSaving: false });
      if (!envelope.ok) {
        this.setData({ pinError: errorText(envelope.error) });
        return;
      }
      this.setData({ pin: '', oldPin: '' });
      wx.showToast({ title: '兑换密码已保存', icon: 'success' });
    },

    onCareMode(event: WechatMiniprogram.SwitchChange) {
      const on = event.detail.value === true;
      setCareMode(on);
      this.setData({ careMode: on });
    },

    /** Local mode: act as another demo identity (the emulator trusts the X-WX-OPENID header). */
    onIdentity(event: WechatMiniprogram.BaseEvent) {
      const openid = String(event.currentTarget.dataset.openid);
      const config = getBackendConfig();
      if (config.mode !== 'local') return undefined;
      setBackendOverride({ mode: 'local', baseUrl: config.baseUrl, openid });
      clearSession();
      this.setData({ identities: identities() });
      const label = demoIdentities.find((d) => d.openid === openid)?.label ?? openid;
      wx.showToast({ title: `已切换为${label}`, icon: 'none' });
      return this.reload();
    },
  },
});
