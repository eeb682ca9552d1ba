/**
 * The village notice board, off the phone: the 公示 poster (PDF), the month's or year's results as CSV / JSON for
 * the county and district platforms, and the display links of the big screen (created and revoked by cadres).
 * Every name in them is what `core/publicity` lets the public see.
 */
import { isTownAdmin, requireManage, requireOversee } from '../common/access';
import { callerName } from '../common/caller';
import { cloud } from '../common/cloud';
import { nowMs } from '../common/clock';
import { _, find, now, transaction, txGet, getExisting } from '../common/data';
import { screenSecret, screenUrl, signLink } from '../common/display-links';
import { townId } from '../common/env';
import { ConflictError, ForbiddenError, RefusedError } from '../common/errors';
import { storeExport } from '../common/exports';
import { COLLECTIONS, type DisplayLinkDoc } from '../common/model';
import { villageById } from '../common/places';
import { derivedId, inputHash, setWithTrail, updateWithTrail, txEarlierRequest } from '../common/writes';
import { loadNotice, POINTS_CATEGORIES, POINTS_CATEGORY_LABELS, type Notice } from './notice';
import { periodLabel, renderPoster } from './poster';
import {
  definePointsActions,
  noticeExportInput,
  noticePosterInput,
  screensCreateInput,
  screensListInput,
  screensRevokeInput,
} from './schemas';

/** The page a scanned poster opens: the village's boards. */
export const POSTER_PAGE = 'pages/boards/index';

/** The mini-program code (小程序码) for the poster; null when the platform refuses it (the poster goes without). */
async function miniProgramCode(villageId: string): Promise<Buffer | null> {
  try {
    const res = (await cloud.openapi.wxacode.getUnlimited({
      scene: `v=${villageId}`,
      page: POSTER_PAGE,
      checkPath: false,
      width: 280,
    })) as { buffer?: Buffer | Uint8Array; errCode?: number };
    return res.buffer && res.buffer.length > 0 ? Buffer.from(res.buffer) : null;
  } catch (error) {
    console.warn('wxacode.getUnlimited failed; the poster goes without its code', error);
    return null;
  }
}

/** The documented columns of the export (README: "导出给县区平台"). */
export const EXPORT_COLUMNS = [
  ['village', '村（社区）'],
  ['householdNumber', '户号'],
  ['family', '家庭'],
  ['group', '村民小组'],
  ...POINTS_CATEGORIES.map((c) => [c, `${POINTS_CATEGORY_LABELS[c]}积分`]),
  ['total', '合计积分'],
  ['rank', '名次'],
] as const;

function exportRows(notice: Notice) {
  return notice.families.map((f) => ({
    village: notice.villageName,
    householdNumber: f.householdNumber,
    family: f.name,
    group: f.group,
    ...Object.fromEntries(POINTS_CATEGORIES.map((c) => [c, f.byCategory[c] / 10])),
    total: f.earned / 10,
    rank: f.rank,
    suspended: f.suspended,
  }));
}

const csvCell = (v: unknown): string => {
  const text = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function exportCsv(notice: Notice): string {
  const rows = exportRows(notice) as Record<string, unknown>[];
  const lines = [EXPORT_COLUMNS.map(([, title]) => title).join(',')];
  for (const r of rows) lines.push(EXPORT_COLUMNS.map(([key]) => csvCell(r[key])).join(','));
  // A BOM so that Excel opens the UTF-8 file as UTF-8.
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export function exportJson(notice: Notice, at: Date): string {
  return `${JSON.stringify(
    {
      town: notice.townName,
      villageId: notice.villageId,
      village: notice.villageName,
      period: notice.period,
      generatedAt: at.toISOString(),
      columns: Object.fromEntries(EXPORT_COLUMNS),
      families: exportRows(notice),
    },
    null,
    2,
  )}\n`;
}

function linkView(link: DisplayLinkDoc, secret: string | null) {
  const token = secret && !link.revokedAt ? signLink(secret, link._id) : null;
  return {
    id: link._id,
    villageId: link.villageId,
    label: link.label,
    createdByName: link.createdByName,
    createdAt: link.createdAt,
    revokedAt: link.revokedAt,
    url: token ? screenUrl(token) : null,
  };
}

function requireScreenScope(caller: Parameters<typeof requireManage>[0], villageId: string | null): void {
  if (villageId) requireManage(caller, villageId);
  else if (!isTownAdmin(caller)) throw new ForbiddenError('只有镇管理员可以管理全镇大屏');
}

export const noticeBoardActions = definePointsActions({
  /** 公示海报: the village's month (or year) as a PDF for the notice board, with a one-hour link. */
  'notice.poster': {
    input: noticePosterInput,
    handler: async ({ villageId, period, paper }, { caller }) => {
      requireOversee(caller, villageId);
      const village = await villageById(villageId);
      const at = now();
      const [notice, code] = await Promise.all([loadNotice(village, period, at), miniProgramCode(villageId)]);
      const pdf = await renderPoster(notice, { paper: paper ?? 'A4', at, miniProgramCode: code });
      return storeExport(
        `exports/${villageId}/${period}-poster-${nowMs()}.pdf`,
        `${village.name}${periodLabel(period)}积分公示.pdf`,
        pdf,
      );
    },
  },

  /** The month's or year's results as CSV or JSON for the county and district platforms. */
  'notice.export': {
    input: noticeExportInput,
    handler: async ({ villageId, period, format }, { caller }) => {
      requireOversee(caller, villageId);
      const village = await villageById(villageId);
      const at = now();
      const notice = await loadNotice(village, period, at);
      const text = format === 'csv' ? exportCsv(notice) : exportJson(notice, at);
      return storeExport(
        `exports/${villageId}/${period}-results-${nowMs()}.${format}`,
        `${village.name}${periodLabel(period)}积分结果.${format}`,
        Buffer.from(text, 'utf8'),
      );
    },
  },

  /** A display link for the big screen of a village (its cadres) or of the town (town admins). */
  'screens.create': {
    input: screensCreateInput,
    handler: async (input, { caller }) => {
      requireScreenScope(caller, input.villageId);
      const secret = screenSecret();
      if (!secret || !screenUrl('x'))
        throw new RefusedError(
          'SCREEN_NOT_CONFIGURED',
          '大屏尚未部署（缺少 SCREEN_SECRET 或 SCREEN_URL），请联系镇信息员',
        );
      const village = input.villageId ? await villageById(input.villageId) : null;
      const at = now();
      const id = derivedId('s', caller, input.requestId);
      const link = await transaction(async (tx) => {
        const earlier = await txEarlierRequest<DisplayLinkDoc>(tx, COLLECTIONS.displayLinks, id, input);
        if (earlier) return earlier;
        const doc: Omit<DisplayLinkDoc, '_id'> = {
          townId: village?.townId ?? townId(),
          villageId: input.villageId,
          label: input.label,
          createdBy: caller.openid,
          createdByName: callerName(caller),
          createdAt: at,
          revokedAt: null,
          revokedBy: null,
          requestHash: inputHash(input),
        };
        await setWithTrail(tx, caller, COLLECTIONS.displayLinks, { _id: id, ...doc }, doc, {
          action: 'screens.create',
          summary: `创建大屏链接“${input.label}”（${village?.name ?? '全镇'}）`,
          at,
        });
        return { ...doc, _id: id };
      });
      return { link: linkView(link, secret) };
    },
  },

  /** The display links of a village (or the town), newest first, revoked ones included. */
  'screens.list': {
    input: screensListInput,
    handler: async ({ villageId }, { caller }) => {
      requireScreenScope(caller, villageId);
      const links = await find<DisplayLinkDoc>(
        COLLECTIONS.displayLinks,
        { townId: townId(), villageId: villageId ?? _.eq(null) },
        { orderBy: [['createdAt', 'desc']], limit: 50 },
      );
      const secret = screenSecret();
      return { links: links.map((l) => linkView(l, secret)) };
    },
  },

  /** Revokes a display link: the screen that shows it goes blank at its next refresh. */
  'screens.revoke': {
    input: screensRevokeInput,
    handler: async ({ linkId }, { caller }) => {
      const link = await getExisting<DisplayLinkDoc>(COLLECTIONS.displayLinks, linkId, '找不到该大屏链接');
      requireScreenScope(caller, link.villageId);
      const at = now();
      const done = await transaction(async (tx) => {
        const current = await txGet<DisplayLinkDoc>(tx, COLLECTIONS.displayLinks, linkId);
        if (!current || current.revokedAt) throw new ConflictError('该大屏链接已停用');
        const revoked = { revokedAt: at, revokedBy: caller.openid };
        await updateWithTrail(tx, caller, COLLECTIONS.displayLinks, linkId, revoked, current, {
          action: 'screens.revoke',
          summary: `停用大屏链接“${current.label}”`,
          at,
        });
        return { ...current, _id: linkId, ...revoked };
      });
      return { link: linkView(done, screenSecret()) };
    },
  },
});
