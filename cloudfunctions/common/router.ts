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

export interface ActionDefinition<S extends z.ZodType, O> {
  input: S;
  /** Roles of which the caller must hold at least one; absent = any identified WeChat user. */
  roles?: readonly RoleName[];
  /**
   * `'handler'`: the router does not read the caller's `users` document; the action reads it within its own one
   * request (an aggregation that starts from it or looks it up) and applies `withProfile(caller, profileOf(user))`
   * itself. Such an action can't declare `roles` (they need the profile).
   */
  profile?: 'handler';
  handler: (input: z.infer<S>, ctx: ActionContext) => Promise<O>;
}

/** Declares an action, inferring the handler's input type from its schema. */
export function action<S extends z.ZodType, O>(definition: ActionDefinition<S, O>): ActionDefinition<S, O> {
  return definition;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAction = ActionDefinition<z.ZodType, any>;

export interface RouterDeps {
  getWXContext: () => WxContext;
  env: Record<string, string | undefined>;
  /** Loads the caller's linked member and roles (one database read); absent in functions that need neither. */
  loadProfile?: (openid: string) => Promise<CallerProfile | null>;
  log?: (line: string) => void;
}

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

/** Builds the function's `main(event, context)`. */
export function createRouter(actions: Record<string, AnyAction>, deps: RouterDeps) {
  const log = deps.log ?? ((line: string) => console.error(line));
  return async function main(event: unknown, context?: InvocationContext): Promise<Envelope<unknown>> {
    const requestId = context?.request_id ?? context?.requestId ?? fallbackRequestId();
    try {
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
