/**
 * 我的二维码: the family's short-lived signed code (qr.issue) for the shop counter, for phones and people
 * without a card. Drawn on a 2d canvas from the module matrix (qrcode-generator), with a countdown; a new code
 * is fetched a few seconds before the old one expires, and while the page is hidden nothing runs.
 */
import { careMode } from '../../behaviors/care-mode';
import { qrShortCode } from '../../core/shop';
import { nowMs } from '../../services/clock';
import { call } from '../../services/client';
import { loadMain, type FamilyPageStatus } from '../../services/page-load';
import { qrModules } from '../../services/qr-code';

/** Fetch the next code this many seconds before the current one expires. */
export const REFRESH_BEFORE_SECONDS = 10;
/** Quiet zone around the code, in modules. */
const MARGIN = 2;

interface Timing {
  token: string;
  /** The app's clock (ms) when it expires: issued ttl seconds from when the phone received it. */
  expiresAt: number;
}
const timings = new WeakMap<object, Timing>();
const timers = new WeakMap<object, ReturnType<typeof setInterval>>();

interface CanvasNode {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    fillStyle: string;
    fillRect(x: number, y: number, w: number, h: number): void;
    scale(x: number, y: number): void;
  };
}

Component({
  behaviors: [careMode],

  data: {
    status: 'loading' as FamilyPageStatus,
    errorMessage: '',
    code: '',
    secondsLeft: 0,
    refreshing: false,
  },

  methods: {
    onLoad() {
      return this.issue();
    },

    onShow() {
      const timing = timings.get(this);
      if (!timing) return undefined;
      this.startTicking();
      return this.onTick();
    },

    onHide() {
      this.stopTicking();
    },

    onUnload() {
      this.stopTicking();
    },

    onRetry() {
      return this.issue();
    },

    onRefresh() {
      return this.issue();
    },

    async issue() {
      if (this.data.refreshing) return;
      const quiet = this.data.status === 'ready';
      this.setData({ refreshing: true });
      const issued = await loadMain(this, () => call('shop', 'qr.issue', {}), { quiet, unlinked: {} });
      this.setData({ refreshing: false });
      if (!issued) {
        this.stopTicking();
        return;
      }
      const { token, ttlSeconds } = issued;
      timings.set(this, { token, expiresAt: nowMs() + ttlSeconds * 1000 });
      // Drawn once rendered: the canvas exists only in the ready state.
      this.setData({ status: 'ready', code: qrShortCode(token), secondsLeft: ttlSeconds }, () =>
        this.draw(token),
      );
      this.startTicking();
    },

    startTicking() {
      if (timers.has(this)) return;
      timers.set(
        this,
        setInterval(() => void this.onTick(), 1000),
      );
    },

    stopTicking() {
      const timer = timers.get(this);
      if (timer !== undefined) clearInterval(timer);
      timers.delete(this);
    },

    /** Every second: the countdown; a new code shortly before expiry. */
    async onTick() {
      const timing = timings.get(this);
      if (!timing || this.data.status !== 'ready') return;
      const secondsLeft = Math.max(0, Math.ceil((timing.expiresAt - nowMs()) / 1000));
      if (secondsLeft !== this.data.secondsLeft) this.setData({ secondsLeft });
      if (secondsLeft <= REFRESH_BEFORE_SECONDS) await this.issue();
    },

    draw(token: string) {
      const modules = qrModules(token);
      const query = this.createSelectorQuery();
      query
        .select('#qr')
        .fields({ node: true, size: true })
        .exec((res: { node?: CanvasNode; width?: number }[]) => {
          const canvas = res?.[0]?.node;
          const width = res?.[0]?.width;
          if (!canvas || !width) return;
          const ratio = wx.getWindowInfo?.().pixelRatio ?? 2;
          canvas.width = width * ratio;
          canvas.height = width * ratio;
          const ctx = canvas.getContext('2d');
          ctx.scale(ratio, ratio);
          const cells = modules.length + MARGIN * 2;
          const cell = width / cells;
          ctx.fillStyle = '#ffffff';
          ctx.fillRect(0, 0, width, width);
          ctx.fillStyle = '#000000';
          modules.forEach((row, r) =>
            row.forEach((dark, c) => {
              // Overlap by a hair so no seams show between modules.
              if (dark) ctx.fillRect((c + MARGIN) * cell, (r + MARGIN) * cell, cell + 0.5, cell + 0.5);
            }),
          );
        });
    },

    onBindFamily() {
      wx.navigateTo({ url: '/pages/family/index' });
    },
  },
});
