/** An objection's target in words, kept on the objection so a list says which record it is about. */
import { ENTRY_KIND_LABELS } from '../../miniprogram/core/ledger';
import { formatSignedPoints } from '../../miniprogram/core/points';
import { dayOf } from '../../miniprogram/core/time';
import type { ClaimDoc, EntryDoc } from '../common/model';

/** `2026-11-20` → `11月20日`. */
const shortDay = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** `参加院坝会、村民代表大会 +0.5分 · 何小军 · 11月20日`. */
export function entryTitle(entry: EntryDoc): string {
  const what = entry.rule?.title ?? ENTRY_KIND_LABELS[entry.kind];
  return [
    `${what} ${formatSignedPoints(entry.points)}分`,
    entry.memberName,
    shortDay(dayOf(new Date(entry.createdAt))),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** `参加一次志愿活动 · 何雄梅 · 11月20日`. */
export function claimTitle(claim: ClaimDoc): string {
  return [claim.rule.title, claim.memberName, shortDay(claim.deedDate)].filter(Boolean).join(' · ');
}
