/**
 * The `points` cloud function: the rule catalogue (and, as the points backend grows, claims, review, the
 * ledger, ranking, boards and objections). One action router; every action validates its input with zod.
 */
import { cloud } from '../common/cloud';
import { createRouter } from '../common/router';
import { rulesActions } from './rules';

export const main = createRouter(
  {
    ...rulesActions,
  },
  { getWXContext: () => cloud.getWXContext(), env: process.env },
);
