/**
 * The `points` cloud function: the rule catalogue, claims and the monthly pass, review, the ledger, the home
 * view and rankings, red and black boards, objections and the monthly close, the audit trail, activities with QR
 * check-in, and the points year (its timer trigger `pointsYear` is declared in config.json).
 * One action router; every action validates its input with zod.
 */
import type { PointsApi } from '../../miniprogram/contract/points';
import { activityActions } from './activities';
import { boardsActions } from './boards';
import { claimsActions } from './claims';
import { recordsActions } from './records';
import { reviewActions } from './review';
import { noticeBoardActions } from './notice-board';
import { auditActions } from './audit';
import { monthsActions } from './months';
import { objectionsActions } from './objections';
import { photoActions } from './photos';
import { pointsTimers, pointsYearActions } from './points-year';
import { reportsActions } from './reports';
import { rulesActions } from './rules';
import { viewActions } from './views';
import { cloudRouter } from '../common/cloud-router';

export const actions = {
  ...rulesActions,
  ...claimsActions,
  ...recordsActions,
  ...reviewActions,
  ...viewActions,
  ...boardsActions,
  ...objectionsActions,
  ...monthsActions,
  ...auditActions,
  ...reportsActions,
  ...noticeBoardActions,
  ...photoActions,
  ...activityActions,
  ...pointsYearActions,
};

export const main = cloudRouter<PointsApi>(actions, pointsTimers);
