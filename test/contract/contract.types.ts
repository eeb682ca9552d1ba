/**
 * Compile-time only (checked by `tsc -p test/tsconfig.json`, never run): what each action's handler returns,
 * once JSON has turned its Dates into strings, must fit the contract the mini-program reads, and the contract's
 * input must be something the action's zod schema accepts.
 */
import type { z } from 'zod';
import type { accountsActions } from '../../cloudfunctions/accounts/index';
import type { actions as pointsActions } from '../../cloudfunctions/points/index';
import type { Api } from '../../miniprogram/contract/index';

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

type PointsActions = typeof pointsActions;
type AccountsActions = typeof accountsActions;

export type PointsOutputs = Assert<AllTrue<OutputsFit<PointsActions, Api['points']>>>;
export type PointsInputs = Assert<AllTrue<InputsFit<PointsActions, Api['points']>>>;
export type AccountsOutputs = Assert<AllTrue<OutputsFit<AccountsActions, Api['accounts']>>>;
export type AccountsInputs = Assert<AllTrue<InputsFit<AccountsActions, Api['accounts']>>>;
/** Every contract action exists on the server. */
export type PointsExist = Assert<Fits<keyof Api['points'], keyof PointsActions>>;
export type AccountsExist = Assert<Fits<keyof Api['accounts'], keyof AccountsActions>>;
