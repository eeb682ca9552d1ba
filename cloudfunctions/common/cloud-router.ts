/** A function's entry point on CloudBase: its actions routed with the platform's caller, environment and profile. */
import { loadProfile } from './access';
import { cloud } from './cloud';
import { createRouter, type Contract, type Implementation, type RouterDeps } from './router';

export function cloudRouter<C extends Contract<C>>(
  implementation: Implementation<C>,
  timers?: RouterDeps['timers'],
) {
  return createRouter<C>(implementation, {
    getWXContext: () => cloud.getWXContext(),
    env: process.env,
    loadProfile,
    ...(timers ? { timers } : {}),
  });
}
