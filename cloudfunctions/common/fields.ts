/** Building the views that actions answer from stored documents. */

/**
 * The fields `keys` of `doc`, copied as they are: what a view shows unchanged (its id, labels and derived values
 * go beside them).
 */
export function pick<T, K extends keyof T>(doc: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) out[key] = doc[key];
  return out;
}
