/** What the objection list and an objection's page both show of an objection. */
import type { ObjectionView } from '../../contract/points';
import { chinaDateTime } from '../../core/time';

export interface ObjectionFacts {
  reason: string;
  /** `何小军 提出于 …`. */
  raisedBy: string;
  /** `处理期限 …`. */
  deadline: string;
  overdue: boolean;
  /** Still 调查中: a supervisor may decide it. */
  open: boolean;
  statusLabel: string;
}

/** The objection's reason, who raised it when, its deadline and where it stands, as shown. */
export function objectionFacts(o: ObjectionView): ObjectionFacts {
  return {
    reason: o.reason,
    raisedBy: `${o.raisedByName} 提出于 ${chinaDateTime(o.createdAt)}`,
    deadline: `处理期限 ${chinaDateTime(o.deadline)}`,
    overdue: o.overdue,
    open: o.status === 'open',
    statusLabel: o.statusLabel,
  };
}
