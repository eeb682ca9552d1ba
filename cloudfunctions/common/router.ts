/**
 * The action router every cloud function is built on. An event `{action, input}` is routed to one action;
 * the input is validated with the action's zod schema before the handler sees it; the caller comes from
 * the WeChat context; whatever happens, the function answers with one envelope.
 */
import { z } from 'zod';
import type { Envelope } from '../../miniprogram/core/envelope';
import type { Caller, CallerProfile, RoleName, WxContext } from './caller';
import { adminCaller, callerFromContext, hasRole, withProfile } from './caller';
import { nowMs } from './clock';
import { isTransactionConflict } from './data';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  InternalError,
  InvalidInputError,
  UnauthenticatedError,
  UnknownActionError,
} from './errors';

z.config(z.locales.zhCN());

export interface ActionContext {
  caller: Caller;
  requestId: string;
}

/** A function's contract (miniprogram/contract/<fn>.ts): action name → the input it takes, the output it gives. */
export type Contract<C> = { [A in keyof C]: { input: unknown; output: unknown } };

/**
 * What a handler may return for a contract's output: the same shape, except that a `string` may be given as a
 * `Date` (the envelope goes out as JSON, which sends a Date as its ISO text).
 */
export type Returns<T> = T extends string
  ? string extends T
    ? string | Date
    : T
  : T extends (infer U)[]
    ? Returns<U>[]
    : T extends object
      ? { [K in keyof T]: Returns<T[K]> }
      : T;

/** Whether two input types are the same: each fits the other and every object has the same keys, all the way down. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? SameKeys<A, B> : false) : false;
type SameKeys<A, B> = [A] extends [never]
  ? true
  : [A] extends [readonly unknown[]]
    ? [B] extends [readonly unknown[]]
      ? Same<A[number], B[number]>
      : false
    : [A] extends [object]
      ? [keyof A] extends [keyof B]
        ? [keyof B] extends [keyof A]
          ? false extends { [K in keyof A & keyof B]-?: Same<A[K], B[K]> }[keyof A & keyof B]
            ? false
            : true
          : false
        : false
      : true;

/** Shown where an action's zod schema accepts another input than its contract says (hover for both). */
interface InputDrift<Schema, Contracted> {
  'the zod schema does not accept exactly the contract input': { schema: Schema; contract: Contracted };
}

/** Stands in for the contract of an action the contract does not list. */
interface NotInContract {
  input: never;
  output: { 'this action is not in the function contract (miniprogram/contract)': never };
}

/**
 * One action as written in a handler file, checked against its contract entry `D`: the schema must accept
 * exactly `D['input']`, the handler receives what the schema parses and must return `D['output']`.
 */
export interface ActionDefinition<S, D extends { input: unknown; output: unknown }> {
  input: S extends z.ZodType
    ? Same<z.input<S>, D['input']> extends true
      ? S
      : InputDrift<z.input<S>, D['input']>
    : z.ZodType;
  /** Roles of which the caller must hold at least one; absent = any identified WeChat user. */
  roles?: readonly RoleName[];
  /**
   * `'handler'`: the router does not read the caller's `users` document; the action reads it within its own one
   * request (an aggregation that starts from it or looks it up) and applies `withProfile(caller, profileOf(user))`
   * itself. Such an action can't declare `roles` (they need the profile).
   */
  profile?: 'handler';
  handler: (
    input: S extends z.ZodType ? z.output<S> : never,
    ctx: ActionContext,
  ) => Promise<Returns<D['output']>>;
}

/**
 * The action definer of one function: `export const definePointsActions = actionsOf<PointsApi>()` (in
 * points/schemas.ts), then in each handler file
 * `export const claimsActions = definePointsActions({ 'claims.submit': { input, roles, handler }, … })`. Each action
 * is checked where it is written: its name against the contract's names, its schema against the contract's
 * input, its handler's result against the contract's output.
 */
export function actionsOf<C extends Contract<C>>() {
  return function define<T>(actions: {
    [K in keyof T]: ActionDefinition<T[K], K extends keyof C ? C[K] : NotInContract>;
  }) {
    return actions;
  };
}

/** An action as the router runs it: the handler takes whatever its own schema parsed. */
type AnyAction = {
  input: z.ZodType;
  profile?: 'handler';
  roles?: readonly RoleName[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler: (input: any, ctx: ActionContext) => Promise<unknown>;
};

/** Every action of contract `C`, each from its handler file (checked there). */
export type Implementation<C extends Contract<C>> = { [K in keyof C]: AnyAction };

export interface RouterDeps {
  getWXContext: () => WxContext;
  env: Record<string, string | undefined>;
  /** Loads the caller's linked member and roles (one database read); absent in functions that need neither. */
  loadProfile?: (openid: string) => Promise<CallerProfile | null>;
  /** Timer triggers declared in the function's config.json, by trigger name (see `timerEvent`). */
  timers?: Record<string, (caller: Caller) => Promise<unknown>>;
  log?: (line: string) => void;
}

/**
 * A CloudBase timer trigger's event: `{Type: 'Timer', TriggerName, Time, Message}`. The platform sends it with no
 * WeChat identity; a call from the mini-program always carries an OPENID, so it can never pose as the timer.
 */
const timerEventSchema = z.object({
  Type: z.string().regex(/^timer$/i),
  TriggerName: z.string().min(1).max(60),
  Time: z.string().optional(),
});

/** Who the timer acts as: no roles, no family (its handlers decide what is due from the clock alone). */
export const timerCaller = (name: string): Caller => ({
  openid: `timer:${name}`,
  appid: null,
  unionid: null,
  roles: [],
  profile: { name: '定时任务', memberId: null, familyId: null, villageId: null, groupId: null, roles: [] },
});

interface InvocationContext {
  request_id?: string;
  requestId?: string;
}

const eventSchema = z.object({
  action: z.string().min(1).max(64),
  input: z.unknown().optional(),
  /** Only for server-side admin scripts (no WeChat identity): see `adminCaller`. */
  adminKey: z.string().max(200).optional(),
});

let counter = 0;
function fallbackRequestId(): string {
  counter += 1;
  return `local-${nowMs().toString(36)}-${counter}`;
}

/** Converts zod's issues into the `details.issues` of an INVALID_INPUT error. */
export function inputIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
}

/** Builds the function's `main(event, context)` from every action of its contract: `createRouter<PointsApi>(…)`. */
export function createRouter<C extends Contract<C>>(implementation: Implementation<C>, deps: RouterDeps) {
  const actions: Record<string, AnyAction> = implementation;
  const log = deps.log ?? ((line: string) => console.error(line));
  return async function main(event: unknown, context?: InvocationContext): Promise<Envelope<unknown>> {
    const requestId = context?.request_id ?? context?.requestId ?? fallbackRequestId();
    try {
      const timer = timerEventSchema.safeParse(event);
      if (timer.success) {
        const run = deps.timers?.[timer.data.TriggerName];
        if (!run || !Object.prototype.hasOwnProperty.call(deps.timers, timer.data.TriggerName))
          throw new UnknownActionError(timer.data.TriggerName);
        if (callerFromContext(deps.getWXContext(), deps.env)) throw new ForbiddenError();
        return { ok: true, data: await run(timerCaller(timer.data.TriggerName)) };
      }
      const parsedEvent = eventSchema.safeParse(event);
      if (!parsedEvent.success) throw new InvalidInputError(inputIssues(parsedEvent.error));
      const name = parsedEvent.data.action;
      const definition = Object.prototype.hasOwnProperty.call(actions, name) ? actions[name] : undefined;
      if (!definition) throw new UnknownActionError(name);

      const identified =
        callerFromContext(deps.getWXContext(), deps.env) ?? adminCaller(parsedEvent.data.adminKey, deps.env);
      if (!identified) throw new UnauthenticatedError();
      if (definition.profile === 'handler' && definition.roles)
        throw new Error(`action ${name}: roles need the profile the router loads`);
      const caller =
        deps.loadProfile && definition.profile !== 'handler'
          ? withProfile(identified, await deps.loadProfile(identified.openid))
          : identified;
      if (definition.roles && !definition.roles.some((role) => hasRole(caller, role))) {
        throw new ForbiddenError();
      }

      const input = definition.input.safeParse(parsedEvent.data.input ?? {});
      if (!input.success) throw new InvalidInputError(inputIssues(input.error));

      const data: unknown = await definition.handler(input.data, { caller, requestId });
      return { ok: true, data };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.toBody(requestId) };
      // Transactions that kept meeting a concurrent writer (under snapshot isolation a write to a locked document
      // fails): nothing was written; the same request, retried, applies once.
      if (isTransactionConflict(error))
        return {
          ok: false,
          error: new ConflictError('同时办理的人较多，请稍后重试', { reason: 'BUSY' }).toBody(requestId),
        };
      log(
        `[${requestId}] unhandled error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return { ok: false, error: new InternalError().toBody(requestId) };
    }
  };
}
