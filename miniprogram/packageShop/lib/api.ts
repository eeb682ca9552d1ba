/**
 * The shop side's typed call for the `shop` function's actions in contract/shop.ts, until `shop` is registered
 * in the client's `Api` map (contract/index.ts). The one cast lives here; everything else stays typed.
 */
import type { ShopApi } from '../../contract/shop';
import type { Envelope } from '../../core/envelope';
import { call } from '../../services/client';

export type ShopAction = keyof ShopApi & string;
export type ShopInput<A extends ShopAction> = ShopApi[A] extends { input: infer I } ? I : never;
export type ShopOutput<A extends ShopAction> = ShopApi[A] extends { output: infer O } ? O : never;

type UntypedCall = (fn: string, action: string, input: unknown) => Promise<Envelope<unknown>>;

export function shopCall<A extends ShopAction>(
  action: A,
  input: ShopInput<A>,
): Promise<Envelope<ShopOutput<A>>> {
  return (call as unknown as UntypedCall)('shop', action, input) as Promise<Envelope<ShopOutput<A>>>;
}
