/**
 * Compile-time only (checked by `tsc -p test/tsconfig.json`, never run), for every action of every function:
 * the server implements exactly the contract's actions, what each handler returns (once JSON has turned its
 * Dates into strings) fits the contract's output, and the contract's input is what the action's zod schema
 * accepts. The handler files are checked the same way where they are written (common/router.ts `actionsOf`);
 * this file is the one place that proves it for all of them at once.
 */
import type { z } from 'zod';
import type { accountsActions } from '../../cloudfunctions/accounts/index';
import type { actions as pointsActions } from '../../cloudfunctions/points/index';
import type { actions as shopActions } from '../../cloudfunctions/shop/index';
import type { Api, FunctionName } from '../../miniprogram/contract/index';

/** What a value becomes after JSON.stringify → JSON.parse (as far as these outputs go). */
type Jsonified<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

type Handled<D> = D extends { handler: (...args: never[]) => Promise<infer O> } ? Jsonified<O> : never;
type SchemaInput<D> = D extends { input: infer S extends z.ZodType } ? z.input<S> : never;

type Assert<T extends true> = T;
type Fits<A, B> = [A] extends [B] ? true : false;
type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type OutputsFit<Actions, Contract> = {
  [K in keyof Contract & keyof Actions]: Contract[K] extends { output: infer O }
    ? Fits<Handled<Actions[K]>, O>
    : false;
};
type InputsFit<Actions, Contract> = {
  [K in keyof Contract & keyof Actions]: Contract[K] extends { input: infer I }
    ? Fits<I, SchemaInput<Actions[K]>>
    : false;
};
type AllTrue<T> = false extends T[keyof T] ? false : true;

/** The server's actions of each function. */
interface Server {
  accounts: typeof accountsActions;
  points: typeof pointsActions;
  shop: typeof shopActions;
}

/** Per function: the same action names on both sides, every output fits, every input fits. */
type Checked<F extends FunctionName> = [
  SameNames<keyof Api[F], keyof Server[F]>,
  AllTrue<OutputsFit<Server[F], Api[F]>>,
  AllTrue<InputsFit<Server[F], Api[F]>>,
];

/** Every function of the client's `Api` is a server function, and every server function is in the `Api`. */
export type Functions = Assert<SameNames<FunctionName, keyof Server>>;
export type Accounts = Assert<Fits<Checked<'accounts'>, [true, true, true]>>;
export type Points = Assert<Fits<Checked<'points'>, [true, true, true]>>;
export type Shop = Assert<Fits<Checked<'shop'>, [true, true, true]>>;
