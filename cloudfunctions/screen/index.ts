/**
 * The `screen` function: what the big screen in a village office or the town hall shows, behind CloudBase's HTTP
 * access service (`GET /screen-api?t=<token>`; locally the emulator's `/screen-api`). No WeChat identity: the
 * signed display link is the only credential, it only reads, and it shows nothing beyond what the public boards
 * show (names through `core/publicity`). A revoked or forged link gets 404 and an empty screen.
 */
import type { ScreenData } from '../../miniprogram/contract/screen';
import { MONTH_STATE_LABELS } from '../../miniprogram/core/month';
import { rankFamilies, rankText } from '../../miniprogram/core/ranking';
import { formatPoints, formatSignedPoints } from '../../miniprogram/core/points';
import { fundHealth } from '../../miniprogram/core/fund';
import { isSuspended } from '../../miniprogram/core/suspension';
import { monthOf } from '../../miniprogram/core/time';
import { _, aggregate, find, getById, now } from '../common/data';
import { screenSecret, verifyLink } from '../common/display-links';
import {
  COLLECTIONS,
  type BoardDoc,
  type DisplayLinkDoc,
  type FundDoc,
  type MonthDoc,
  type ScoreDoc,
  type TownDoc,
  type VillageDoc,
} from '../common/model';
import {
  familyFacts,
  namePolicy,
  publicBoardName,
  publicBoardsWhere,
  publicFamilyName,
} from '../common/public';

interface HttpEvent {
  httpMethod?: string;
  path?: string;
  queryStringParameters?: Record<string, string | undefined> | null;
}

interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  // The page is served from static hosting, another origin than the HTTP access service.
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, OPTIONS',
};

const respond = (statusCode: number, body: unknown): HttpResponse => ({
  statusCode,
  headers: HEADERS,
  body: JSON.stringify(body),
  isBase64Encoded: false,
});

const GONE = { ok: false, error: { code: 'NOT_FOUND', message: '该大屏链接无效或已停用' } };

/** A fallback for the fen-per-point value when a fund has none configured (core/fund's default). */
const DEFAULT_FEN_PER_POINT = 100;

export async function screenData(link: DisplayLinkDoc, at: Date): Promise<ScreenData> {
  const month = monthOf(at);
  const villages = link.villageId
    ? [await getById<VillageDoc>(COLLECTIONS.villages, link.villageId)].filter((v): v is VillageDoc => !!v)
    : await find<VillageDoc>(COLLECTIONS.villages, { townId: link.townId }, { limit: 100 });
  const villageIds = villages.map((v) => v._id);
  const scope = link.villageId ? { villageId: link.villageId } : { townId: link.townId };
  const [town, scores, boards, notices, flows, funds, outstanding] = await Promise.all([
    getById<TownDoc>(COLLECTIONS.towns, link.townId),
    find<ScoreDoc>(
      COLLECTIONS.scores,
      { ...scope, period: month },
      { orderBy: [['earned', 'desc']], limit: 30 },
    ),
    find<BoardDoc>(
      COLLECTIONS.boards,
      publicBoardsWhere({ ...scope, board: 'red', date: new RegExp(`^${month}`) }, at),
      {
        orderBy: [['date', 'desc']],
        limit: 12,
      },
    ),
    find<MonthDoc>(
      COLLECTIONS.months,
      { villageId: link.villageId ?? _.in(villageIds), state: 'notice' },
      { limit: 100 },
    ),
    aggregate<{ _id: string; points: number }>(COLLECTIONS.entries, [
      ['match', { ...scope, month }],
      ['group', { _id: '$kind', points: { $sum: '$points' } }],
    ]),
    find<FundDoc>(COLLECTIONS.funds, { _id: link.villageId ?? _.in(villageIds) }, { limit: 100 }),
    aggregate<{ _id: null; total: number }>(COLLECTIONS.families, [
      ['match', scope],
      ['group', { _id: null, total: { $sum: '$available' } }],
    ]),
  ]);
  const villageOf = (id: string) => villages.find((v) => v._id === id);
  const facts = await familyFacts(boards.map((b) => b.familyId));
  const ranked = rankFamilies(
    scores.map((s) => ({
      familyId: s.familyId,
      earned: s.earned,
      suspended: isSuspended(s.suspendedUntil ? new Date(s.suspendedUntil) : null, at),
      score: s,
    })),
  ).slice(0, 10);
  const points = (kind: string) => flows.find((f) => f._id === kind)?.points ?? 0;
  const awarded = points('award') + Math.max(points('board'), 0);
  const redeemed = -points('redemption');
  const balanceFen = funds.reduce((s, f) => s + (f.balanceFen ?? 0), 0);
  const fenPerPoint = funds[0]?.fenPerPoint ?? DEFAULT_FEN_PER_POINT;
  const health = fundHealth(balanceFen, outstanding[0]?.total ?? 0, fenPerPoint);
  return {
    title: link.villageId ? (villages[0]?.name ?? '') : (town?.name ?? '全镇'),
    townName: town?.name ?? '',
    scope: link.villageId ? ('village' as const) : ('town' as const),
    month,
    now: at.toISOString(),
    ranking: ranked.map((r) => ({
      name: publicFamilyName(
        { headName: r.score.familyName, householdNumber: r.score.householdNumber },
        namePolicy(villageOf(r.score.villageId)),
        at,
      ),
      villageName: villageOf(r.score.villageId)?.name ?? '',
      pointsText: formatPoints(r.earned),
      rankText: rankText(r),
    })),
    redBoard: boards.flatMap((b) => {
      const name = publicBoardName(b, facts.get(b.familyId), namePolicy(villageOf(b.villageId)), at);
      return name === null
        ? []
        : [
            {
              name,
              title: b.title,
              pointsText: b.points ? formatSignedPoints(b.points) : '',
              date: b.date,
              villageName: villageOf(b.villageId)?.name ?? '',
            },
          ];
    }),
    notices: notices.map((m) => ({
      villageName: villageOf(m.villageId)?.name ?? '',
      month: m.month,
      stateLabel: MONTH_STATE_LABELS[m.state],
      noticeEndsAt: m.noticeEndsAt ? new Date(m.noticeEndsAt).toISOString() : null,
    })),
    flows: { awardedText: formatPoints(awarded), redeemedText: formatPoints(redeemed) },
    fund: {
      balanceYuan: (health.balanceFen / 100).toFixed(2),
      outstandingPointsText: formatPoints(health.outstandingPoints),
      outstandingYuan: (health.outstandingValueFen / 100).toFixed(2),
      coveragePercent: health.coverageBp === null ? null : Math.floor(health.coverageBp / 100),
      status: health.status,
    },
  };
}

export async function main(event: HttpEvent): Promise<HttpResponse> {
  if (event.httpMethod === 'OPTIONS') return respond(204, '');
  const secret = screenSecret();
  const token = event.queryStringParameters?.t ?? '';
  const linkId = secret && token ? verifyLink(secret, token) : null;
  if (!linkId) return respond(404, GONE);
  try {
    const link = await getById<DisplayLinkDoc>(COLLECTIONS.displayLinks, linkId);
    if (!link || link.revokedAt) return respond(404, GONE);
    return respond(200, { ok: true, data: await screenData(link, now()) });
  } catch (error) {
    console.error('screen failed', error);
    return respond(500, { ok: false, error: { code: 'INTERNAL', message: '大屏数据暂时无法读取' } });
  }
}
