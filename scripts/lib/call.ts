/**
 * How scripts and tests call the functions: typed by the same contract as the mini-program's client
 * (miniprogram/contract), over any transport (the emulator in-process, its HTTP gateway, the cloud's admin SDK).
 */
import type { ActionInput, ActionName, ActionOutput, FunctionName } from '../../miniprogram/contract/index';
import type { Envelope } from '../../miniprogram/core/envelope';

/** Calls `action` of function `fn` as the WeChat user `openid`, typed by the contract. */
export type Call = <F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  input: ActionInput<F, A>,
  openid: string,
) => Promise<Envelope<ActionOutput<F, A>>>;

/** A transport: sends any event and answers what came back (also what a test uses to send a malformed input). */
export type Transport = (
  fn: string,
  action: string,
  input: unknown,
  openid: string,
) => Promise<Envelope<unknown>>;

/** The typed call over a transport; the envelope's data is the contract's output (the server is checked against it). */
export function typedCall(transport: Transport): Call {
  return async (fn, action, input, openid) =>
    (await transport(fn, action, input, openid)) as Envelope<ActionOutput<typeof fn, typeof action>>;
}

/** Calls an action and returns its data, or throws with the envelope's error (for setup steps that must work). */
export async function must<F extends FunctionName, A extends ActionName<F>>(
  call: Call,
  fn: F,
  action: A,
  input: ActionInput<F, A>,
  openid: string,
): Promise<ActionOutput<F, A>> {
  const res = await call(fn, action, input, openid);
  if (!res.ok)
    throw new Error(
      `${fn}/${action} as ${openid} failed: ${res.error.code} ${res.error.message} ${JSON.stringify(res.error.details ?? {})}`,
    );
  return res.data;
}
