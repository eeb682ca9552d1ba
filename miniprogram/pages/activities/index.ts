/**
 * 村里活动: the village's activities still to come or under way (sign up; 扫码签到 and 扫码签退 with wx.scanCode
 * on the organiser's code), a confirmation after a check-in, and the family's attendance with each activity's name.
 */
import { careMode } from '../../behaviors/care-mode';
import type { ActivitiesMineOutput, MyActivityView } from '../../contract/points';
import { chinaClockTime, chinaDayTime } from '../../core/activities';
import { formatSignedPoints } from '../../core/points';
import { call } from '../../services/client';
import { loadMain, type FamilyPageStatus } from '../../services/page-load';
import { newRequestId } from '../../services/request-id';

interface Upcoming {
  id: string;
  title: string;
  meta: string;
  points: string;
  places: string;
  signedUp: boolean;
  checkedIn: boolean;
}

const ATTENDANCE_STATUS: Record<ActivitiesMineOutput['attended'][number]['status'], string> = {
  present: '已签到，待确认',
  posted: '已计分',
  skipped: '已达上限，未计分',
};

const toUpcoming = (a: MyActivityView): Upcoming => ({
  id: a.id,
  title: a.title,
  meta: `${a.timeText} · ${a.place}`,
  points: `${a.ruleTitle} ${formatSignedPoints(a.points)}分`,
  places: a.capacity > 0 ? `已签到 ${a.checkedIn} / ${a.capacity} 人` : `已签到 ${a.checkedIn} 人`,
  signedUp: a.signedUpByMe,
  checkedIn: a.checkedInByMe,
});

Component({
  behaviors: [careMode],

  data: {
    status: 'loading' as FamilyPageStatus,
    errorMessage: '',
    villageName: '',
    upcoming: [] as Upcoming[],
    attended: [] as { key: string; title: string; meta: string }[],
    /** After a successful check-in: who and where ("签到成功"). */
    confirmation: null as { title: string; members: string } | null,
    busy: '',
  },

  methods: {
    onLoad() {
      return this.load();
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh());
    },

    onRetry() {
      return this.load();
    },

    onBind() {
      wx.navigateTo({ url: '/pages/family/index' });
    },

    async load() {
      const mine = await loadMain(this, () => call('points', 'activities.mine', {}), {
        quiet: true,
        unlinked: {},
      });
      if (!mine) return;
      this.setData({
        status: 'ready',
        villageName: mine.villageName,
        upcoming: mine.upcoming.map(toUpcoming),
        attended: mine.attended.map((x) => ({
          key: `${x.activityId}-${x.memberName}`,
          title: x.activityTitle,
          meta: [
            x.memberName,
            `${chinaDayTime(new Date(x.checkedInAt))}签到`,
            ...(x.checkedOutAt ? [`${chinaClockTime(new Date(x.checkedOutAt))}签退`] : []),
            `${ATTENDANCE_STATUS[x.status]}${x.status === 'posted' ? ` ${formatSignedPoints(x.points)}分` : ''}`,
          ].join(' · '),
        })),
      });
    },

    async onSignUp(e: WechatMiniprogram.BaseEvent) {
      const activityId = String(e.currentTarget.dataset.id ?? '');
      this.setData({ busy: activityId });
      const res = await call('points', 'activities.signUp', { activityId });
      this.setData({ busy: '' });
      if (!res.ok) {
        wx.showToast({ title: res.error.message, icon: 'none' });
        return;
      }
      wx.showToast({ title: '报名成功', icon: 'success' });
      await this.load();
    },

    /** 扫码签到: the camera reads the organiser's code; the server checks it and answers who checked in. */
    async onScanIn() {
      const scanned = await scan();
      if (scanned === null) return;
      this.setData({ busy: 'scan' });
      const res = await call('points', 'activities.checkIn', { code: scanned, requestId: newRequestId() });
      this.setData({ busy: '' });
      if (!res.ok) {
        wx.showModal({ title: '签到未成功', content: res.error.message, showCancel: false });
        return;
      }
      this.setData({
        confirmation: {
          title: res.data.activity.title,
          members: res.data.members.map((m) => m.memberName).join('、'),
        },
      });
      await this.load();
    },

    async onScanOut() {
      const scanned = await scan();
      if (scanned === null) return;
      const res = await call('points', 'activities.checkOut', { code: scanned });
      if (!res.ok) {
        wx.showModal({ title: '签退未成功', content: res.error.message, showCancel: false });
        return;
      }
      wx.showToast({ title: '已签退', icon: 'success' });
      await this.load();
    },

    onCloseConfirmation() {
      this.setData({ confirmation: null });
    },
  },
});

/** What the camera read, or null when the villager cancelled. */
function scan(): Promise<string | null> {
  return new Promise((resolve) => {
    wx.scanCode({
      onlyFromCamera: true,
      scanType: ['qrCode'],
      success: (r) => resolve(r.result),
      fail: () => resolve(null),
    });
  });
}
