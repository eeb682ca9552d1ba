/**
 * The domain core: pure rules of the points system, shared by the cloud functions (bundled in) and the
 * mini-program pages. No `wx`, no database, no I/O.
 *
 * Pages import the modules they need directly (`core/points`, `core/time`), so a page's bundle holds only those.
 */
export * from './points';
export * from './catalogue';
export * from './time';
export * from './envelope';
export * from './ledger';
export * from './ranking';
export * from './names';
export * from './publicity';
export * from './month';
export * from './review';
export * from './suspension';
export * from './households';
export * from './shop';
export * from './fund';
export * from './wishes';
export * from './order';
