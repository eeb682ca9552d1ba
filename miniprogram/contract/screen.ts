/**
 * What the `screen` function answers the big screen (`GET /screen-api?t=<token>`): read-only, names already as
 * `core/publicity` allows. Read by the page in `web/screen/` and typed on the function's side.
 */
export interface ScreenData {
  /** The village's name, or the town's for a town screen. */
  title: string;
  townName: string;
  scope: 'village' | 'town';
  /** `YYYY-MM`, China time. */
  month: string;
  /** The server's time (ISO), so countdowns don't depend on the screen's clock. */
  now: string;
  ranking: { name: string; villageName: string; pointsText: string; rankText: string }[];
  redBoard: { name: string; title: string; pointsText: string; date: string; villageName: string }[];
  notices: { villageName: string; month: string; stateLabel: string; noticeEndsAt: string | null }[];
  flows: { awardedText: string; redeemedText: string };
  fund: {
    balanceYuan: string;
    outstandingPointsText: string;
    outstandingYuan: string;
    /** null: nothing outstanding. */
    coveragePercent: number | null;
    status: 'healthy' | 'watch' | 'short';
  };
}

export type ScreenAnswer =
  { ok: true; data: ScreenData } | { ok: false; error: { code: string; message: string } };
