/** Every cloud function's contract, keyed by function name, for the typed client. Types only. */
import type { AccountsApi } from './accounts';
import type { PointsApi } from './points';
import type { ShopApi } from './shop';

export interface Api {
  accounts: AccountsApi;
  points: PointsApi;
  shop: ShopApi;
}

export type FunctionName = keyof Api;
export type ActionName<F extends FunctionName> = keyof Api[F] & string;
export type ActionInput<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends {
  input: infer I;
}
  ? I
  : never;
export type ActionOutput<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends {
  output: infer O;
}
  ? O
  : never;
