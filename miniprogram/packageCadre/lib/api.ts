/**
 * The cadre side's typed call for the actions in contract/cadre.ts, until they are registered in the
 * client's `Api` map (contract/index.ts). The one cast lives here; everything else stays typed.
 */
import type { CadreApi } from '../../contract/cadre';
import type { Envelope } from '../../core/envelope';
import { call } from '../../services/client';

export type CadreFunction = keyof CadreApi;
export type CadreAction<F extends CadreFunction> = keyof CadreApi[F] & string;
export type CadreInput<F extends CadreFunction, A extends CadreAction<F>> = CadreApi[F][A] extends {
  input: infer I;
}
  ? I
  : never;
export type CadreOutput<F extends CadreFunction, A extends CadreAction<F>> = CadreApi[F][A] extends {
  output: infer O;
}
  ? O
  : never;

type UntypedCall = (fn: string, action: string, input: unknown) => Promise<Envelope<unknown>>;

export function cadreCall<F extends CadreFunction, A extends CadreAction<F>>(
  fn: F,
  action: A,
  input: CadreInput<F, A>,
): Promise<Envelope<CadreOutput<F, A>>> {
  return (call as unknown as UntypedCall)(fn, action, input) as Promise<Envelope<CadreOutput<F, A>>>;
}
