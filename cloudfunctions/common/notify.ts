/**
 * Subscription messages (订阅消息). Each kind of notice has a template applied for in the WeChat admin
 * console; its id comes from the function's environment (`TPL_CLAIM_DECIDED` …). A notice whose template is
 * not configured, or that WeChat refuses (the user gave no consent), is logged and skipped: a notice never
 * undoes the change it reports.
 */
import { cloud } from './cloud';

export type NoticeKind =
  'claimDecided' | 'objectionDecided' | 'blackBoard' | 'wishUpdated' | 'pointsExpiring';

const TEMPLATE_ENV: Record<NoticeKind, string> = {
  claimDecided: 'TPL_CLAIM_DECIDED',
  objectionDecided: 'TPL_OBJECTION_DECIDED',
  blackBoard: 'TPL_BLACK_BOARD',
  wishUpdated: 'TPL_WISH_UPDATED',
  pointsExpiring: 'TPL_POINTS_EXPIRING',
};

/** Keys of the template's fields (`thing1`, `phrase2` …) with their values, cut to WeChat's 20-character limit. */
export type NoticeData = Record<string, string>;

export async function notify(
  kind: NoticeKind,
  touser: string | null,
  page: string,
  data: NoticeData,
): Promise<boolean> {
  const templateId = process.env[TEMPLATE_ENV[kind]];
  if (!touser || !templateId) return false;
  const fields: Record<string, { value: string }> = {};
  for (const [key, value] of Object.entries(data))
    fields[key] = { value: Array.from(value).slice(0, 20).join('') };
  try {
    await cloud.openapi.subscribeMessage.send({
      touser,
      templateId,
      page,
      data: fields,
      miniprogramState: 'formal',
    });
    return true;
  } catch (error) {
    console.warn(
      `subscribe message ${kind} to ${touser} not sent: ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  }
}

/** Text the content-security API finds risky is refused before it is stored. */
export async function textIsSafe(content: string, openid: string): Promise<boolean> {
  if (!content.trim()) return true;
  try {
    const res = (await cloud.openapi.security.msgSecCheck({ content, openid, scene: 1, version: 2 })) as {
      errCode?: number;
      result?: { suggest?: string };
    };
    if (res.errCode === 87014) return false;
    return res.result?.suggest === undefined || res.result.suggest === 'pass';
  } catch (error) {
    if ((error as { errCode?: number }).errCode === 87014) return false;
    throw error;
  }
}
