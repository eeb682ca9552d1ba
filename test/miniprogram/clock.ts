/**
 * The instants mini-program tests run at, the same as every other test's (test/support/clock.ts). No test reads
 * the machine's clock: setup.ts fixes the app's clock (miniprogram/services/clock) at TEST_NOW when a test file
 * starts and fresh-app.ts before every page test; a test that cares about time sets its own instant with
 * `setClock`.
 */
import { TEST_NOW as TEST_INSTANT } from '../support/clock';

export { HOSTILE_INSTANTS } from '../support/clock';

/** The tests' instant as the ISO string the app's clock takes. */
export const TEST_NOW = TEST_INSTANT.toISOString();
