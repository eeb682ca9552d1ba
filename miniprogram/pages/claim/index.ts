/**
 * 申报积分: a family member claims points under a self-claimable rule, for a member of the family, on a date,
 * with a note and up to 9 photos (compressed, uploaded as soon as they are chosen, with progress and a retry).
 * The request id is made when the form opens, so a retried or double-tapped submit never files twice; consent
 * to the review-result notice is asked inside the submit tap.
 */
import { chinaToday } from '../../services/clock';
import type { RuleView } from '../../contract/points';
import { formatSignedPoints } from '../../core/points';
import { call } from '../../services/client';

import { errorText } from '../../services/errors';
import { allOk, loadMain } from '../../services/page-load';
import { currentCareMode } from '../../services/preferences';
import { requirePrivacy } from '../../services/privacy';
import { newRequestId, randomName } from '../../services/request-id';
import { getSession } from '../../services/session';
import { askSubscription, SUBSCRIBE_TEMPLATES } from '../../services/subscribe';
import { uploadFile } from '../../services/upload';

type Status = 'loading' | 'ready' | 'empty' | 'unlinked' | 'error' | 'done';

export const MAX_PHOTOS = 9;

interface RuleOption {
  id: string;
  /** `参加一次志愿活动（+1 分）`. */
  label: string;
  photosRequired: boolean;
}

interface MemberOption {
  id: string;
  name: string;
}

interface Photo {
  key: string;
  path: string;
  progress: number;
  state: 'uploading' | 'done' | 'failed';
}

/** What the form keeps that the template never shows. */
interface FormState {
  requestId: string;
  openid: string;
  /** Uploaded fileIDs by photo key. */
  fileIds: Map<string, string>;
}

const forms = new WeakMap<object, FormState>();

export function toRuleOption(rule: RuleView): RuleOption {
  return {
    id: rule.id,
    label: `${rule.title}（${formatSignedPoints(rule.points)} 分）`,
    photosRequired: rule.photosRequired,
  };
}

/** Why the form cannot be sent yet, or null. */
export function formProblem(data: {
  ruleIndex: number;
  memberIndex: number;
  rules: RuleOption[];
  photos: Photo[];
}): string | null {
  if (data.ruleIndex < 0) return '请选择申报的积分规则';
  if (data.memberIndex < 0) return '请选择为哪位家庭成员申报';
  if (data.photos.some((p) => p.state === 'uploading')) return '照片正在上传，请稍候';
  if (data.photos.some((p) => p.state === 'failed')) return '有照片上传失败，请重试或删除';
  if (data.rules[data.ruleIndex]?.photosRequired && data.photos.length === 0)
    return '该规则需要上传照片作为凭证';
  return null;
}

Component({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    careMode: false,
    rules: [] as RuleOption[],
    ruleIndex: -1,
    members: [] as MemberOption[],
    memberIndex: -1,
    deedDate: '',
    today: '',
    text: '',
    photos: [] as Photo[],
    maxPhotos: MAX_PHOTOS,
    submitting: false,
    doneText: '',
  },

  methods: {
    onLoad() {
      forms.set(this, { requestId: newRequestId(), openid: '', fileIds: new Map() });
      const today = chinaToday();
      this.setData({ careMode: currentCareMode(), today, deedDate: today });
      return this.loadForm();
    },

    onRetry() {
      return this.loadForm();
    },

    form(): FormState {
      let form = forms.get(this);
      if (!form) {
        form = { requestId: newRequestId(), openid: '', fileIds: new Map() };
        forms.set(this, form);
      }
      return form;
    },

    async loadForm() {
      const loaded = await loadMain(
        this,
        async () => {
          const [session, rules, family] = await Promise.all([
            getSession(),
            call('points', 'rules.list', { selfClaimOnly: true }),
            call('accounts', 'families.get', {}),
          ]);
          return allOk([session, family, rules]);
        },
        { unlinked: {} },
      );
      if (!loaded) return;
      const [session, family, rules] = loaded;
      this.form().openid = session.openid;
      const members = family.members.map((m) => ({ id: m.id, name: m.name }));
      const options = rules.rules.filter((r) => r.selfClaim).map(toRuleOption);
      this.setData({
        status: options.length > 0 ? 'ready' : 'empty',
        rules: options,
        members,
        memberIndex: Math.max(
          0,
          family.members.findIndex((m) => m.isMe),
        ),
      });
    },

    onRuleChange(event: WechatMiniprogram.PickerChange) {
      this.setData({ ruleIndex: Number(event.detail.value) });
    },

    onMemberChange(event: WechatMiniprogram.PickerChange) {
      this.setData({ memberIndex: Number(event.detail.value) });
    },

    onDateChange(event: WechatMiniprogram.PickerChange) {
      this.setData({ deedDate: String(event.detail.value) });
    },

    onTextInput(event: WechatMiniprogram.Input) {
      this.setData({ text: event.detail.value });
    },

    /** Asks for privacy authorisation (the prompt shows if needed), then lets the villager choose photos. */
    async onAddPhoto() {
      const room = MAX_PHOTOS - this.data.photos.length;
      if (room <= 0) return;
      const agreed = await requirePrivacy();
      if (!agreed) {
        wx.showToast({ title: '需要同意隐私保护指引才能上传照片', icon: 'none' });
        return;
      }
      wx.chooseMedia({
        count: room,
        mediaType: ['image'],
        sizeType: ['compressed'],
        sourceType: ['album', 'camera'],
        success: (res) => {
          for (const file of res.tempFiles.slice(0, room)) void this.addPhoto(file.tempFilePath);
        },
      });
    },

    addPhoto(path: string) {
      const photo: Photo = { key: randomName(), path, progress: 0, state: 'uploading' };
      this.setData({ [`photos[${this.data.photos.length}]`]: photo });
      return this.upload(photo.key);
    },

    photoIndex(key: string): number {
      return this.data.photos.findIndex((p) => p.key === key);
    },

    async upload(key: string) {
      const index = this.photoIndex(key);
      if (index < 0) return;
      const photo = this.data.photos[index];
      this.setData({ [`photos[${index}].state`]: 'uploading', [`photos[${index}].progress`]: 0 });
      const form = this.form();
      const cloudPath = `claims/${form.openid}/${randomName()}.jpg`;
      const result = await uploadFile(cloudPath, photo.path, (progress) => {
        const at = this.photoIndex(key);
        if (at >= 0) this.setData({ [`photos[${at}].progress`]: progress });
      });
      const at = this.photoIndex(key);
      if (at < 0) return; // removed while uploading
      if (result.ok) {
        form.fileIds.set(key, result.fileID);
        this.setData({ [`photos[${at}].state`]: 'done', [`photos[${at}].progress`]: 100 });
      } else {
        this.setData({ [`photos[${at}].state`]: 'failed' });
      }
    },

    onRetryPhoto(event: WechatMiniprogram.BaseEvent) {
      return this.upload(String(event.currentTarget.dataset.key));
    },

    onRemovePhoto(event: WechatMiniprogram.BaseEvent) {
      const key = String(event.currentTarget.dataset.key);
      this.form().fileIds.delete(key);
      this.setData({ photos: this.data.photos.filter((p) => p.key !== key) });
    },

    onPreview(event: WechatMiniprogram.BaseEvent) {
      const urls = this.data.photos.map((p) => p.path);
      wx.previewImage({ urls, current: String(event.currentTarget.dataset.path) });
    },

    /** The submit tap: consent first (WeChat needs it inside the tap), then one submit however often it is tapped. */
    onSubmit() {
      if (this.data.submitting || this.data.status !== 'ready') return undefined;
      const problem = formProblem(this.data);
      if (problem) {
        wx.showToast({ title: problem, icon: 'none' });
        return undefined;
      }
      // Synchronously inside the tap, once the form is complete: WeChat refuses it anywhere else.
      askSubscription(SUBSCRIBE_TEMPLATES.claimDecided);
      this.setData({ submitting: true });
      return this.submit();
    },

    async submit() {
      const form = this.form();
      const { rules, ruleIndex, members, memberIndex, photos } = this.data;
      const envelope = await call('points', 'claims.submit', {
        requestId: form.requestId,
        ruleId: rules[ruleIndex].id,
        memberId: members[memberIndex].id,
        deedDate: this.data.deedDate,
        text: this.data.text.trim(),
        photos: photos.map((p) => form.fileIds.get(p.key) ?? '').filter((id) => id !== ''),
      });
      if (!envelope.ok) {
        // The same request id stays: submitting again returns the first claim if this one did get through.
        this.setData({ submitting: false });
        wx.showToast({ title: errorText(envelope.error), icon: 'none' });
        return;
      }
      const claim = envelope.data.claim;
      this.setData({
        submitting: false,
        status: 'done',
        doneText: `已为${claim.memberName}申报“${claim.rule.title}”（${claim.pointsText} 分），请等待村干部审核。`,
      });
    },

    onMyClaims() {
      wx.redirectTo({ url: '/pages/my-claims/index' });
    },

    /** Another claim: a fresh form with a new request id. */
    onAnother() {
      forms.set(this, { requestId: newRequestId(), openid: this.form().openid, fileIds: new Map() });
      this.setData({
        status: 'ready',
        ruleIndex: -1,
        text: '',
        photos: [],
        deedDate: chinaToday(),
        doneText: '',
      });
    },

    onBind() {
      wx.navigateTo({ url: '/pages/family/index' });
    },
  },
});
