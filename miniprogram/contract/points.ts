/**
 * Contract of the `points` cloud function: action names with their input and output types.
 * Types only. The function validates inputs with zod schemas that must accept exactly these shapes
 * (test/functions checks the pair), and the mini-program's typed client reads them.
 */
import type { RuleCap, RuleCategory } from '../core/catalogue';
import type { Tenths } from '../core/points';

export interface RuleView {
  /** Stored rule id (the latest version's id). */
  id: string;
  code: string;
  category: RuleCategory;
  aspect: string;
  title: string;
  description: string;
  points: Tenths;
  selfClaim: boolean;
  photosRequired: boolean;
  cap: RuleCap | null;
  /** Village-specific addition (null for the town's catalogue). */
  villageId: string | null;
  version: number;
}

export interface RulesListInput {
  /** Include the additions of this village; the town's catalogue only when absent. */
  villageId?: string;
  /** Only rules residents may claim themselves (for the 申报 page). */
  selfClaimOnly?: boolean;
}

export interface RulesListOutput {
  rules: RuleView[];
}

export interface PointsApi {
  'rules.list': { input: RulesListInput; output: RulesListOutput };
}
