// The indexes a collection declares in schema.json, kept in memory so that a query with equality (or `$in`) on
// an index's leading fields reads only the matching bucket instead of scanning the collection, and a unique index
// is checked against a map instead of re-serialising every document on each commit.
//
// An index only narrows the candidates: every candidate is still tested against the whole query, so results are
// exactly those of a scan. Documents whose indexed value cannot be keyed (an array or an object on the path, a
// BSON value) sit in a "loose" set that every lookup includes. Candidates come back in the collection's natural
// order (first insertion), the order a scan returns.
import type { Doc } from './ejson';
import { isPlainObject } from './ejson';
import type { IndexSpec } from './schema';

/**
 * The value at a dotted path; `LOOSE` when an array (or a non-plain object) stands on the way: an index files such
 * a document among its loose ones, and a lookup leaves it to mingo.
 */
export const LOOSE = Symbol('loose');

export function valueAt(doc: Doc, field: string): unknown {
  let cur: unknown = doc;
  for (const part of field.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur) || !isPlainObject(cur)) return LOOSE;
    cur = (cur as Doc)[part];
  }
  return cur;
}

/** A key for an equality match; undefined when the value has no simple equality (arrays, objects, regexps). */
function valueKey(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'n'; // a query for null matches null and missing alike
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'number':
      return Number.isNaN(value) ? undefined : `d${value}`;
    case 'boolean':
      return value ? 'b1' : 'b0';
    default:
      return value instanceof Date ? `t${value.getTime()}` : undefined;
  }
}

/**
 * How many index keys one query may look up (an `$in` list, or the product of several): an import chunk asks for
 * the members of its 200 families at once. Beyond it the query is tested against every document, as before.
 */
const MAX_INDEX_KEYS = 1000;

/** The keys a query's condition on one field accepts, or undefined when it is not an equality or `$in`. */
function conditionKeys(condition: unknown): string[] | undefined {
  if (condition instanceof RegExp || Array.isArray(condition)) return undefined;
  if (isPlainObject(condition)) {
    const ops = Object.keys(condition);
    if (ops.length !== 1) return undefined;
    if (ops[0] === '$eq') {
      const key = valueKey(condition.$eq);
      return key === undefined ? undefined : [key];
    }
    if (ops[0] === '$in' && Array.isArray(condition.$in) && condition.$in.length <= MAX_INDEX_KEYS) {
      const keys = condition.$in.map(valueKey);
      return keys.every((k): k is string => k !== undefined) ? keys : undefined;
    }
    return undefined;
  }
  const key = valueKey(condition);
  return key === undefined ? undefined : [key];
}

const SEP = '\u0000';

/** A number or a date as a number to order by; undefined for anything else. */
function rangeValue(value: unknown): number | undefined {
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  return value instanceof Date ? value.getTime() : undefined;
}

/** A range condition (`$gt $gte $lt $lte` on a number or a date) as bounds; undefined for anything else. */
function rangeBounds(
  condition: unknown,
): { low?: [number, boolean]; high?: [number, boolean]; kind: string } | undefined {
  if (!isPlainObject(condition)) return undefined;
  const ops = Object.keys(condition);
  if (!ops.length || !ops.every((op) => ['$gt', '$gte', '$lt', '$lte'].includes(op))) return undefined;
  const out: { low?: [number, boolean]; high?: [number, boolean]; kind: string } = { kind: '' };
  for (const op of ops) {
    const v = condition[op];
    const n = rangeValue(v);
    if (n === undefined) return undefined;
    const kind = v instanceof Date ? 'date' : 'number';
    if (out.kind && out.kind !== kind) return undefined;
    out.kind = kind;
    if (op === '$gt' || op === '$gte') out.low = [n, op === '$gte'];
    else out.high = [n, op === '$lte'];
  }
  return out;
}

/**
 * A bucket's ids ordered by the next field's value (all numbers or all dates), built when first asked for and then
 * kept up to date on every write (a binary search and a splice), so a write never makes the next read re-sort.
 */
interface SortedBucket {
  kind: string;
  values: number[];
  ids: string[];
  /** Documents of the bucket whose value is null or missing: no range matches them, but a sort must place them. */
  nulls: number;
}

/** The first index of an ascending list where `pred` (false, then true) holds; the length when nowhere. */
function firstIndex(values: number[], pred: (v: number) => boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(values[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Where a range query lies in a sorted bucket: how many candidates, whether that is the count, and the ids. */
interface RangeSlice {
  size: number;
  /** The size is exactly the number of matches: the query is the index's equalities and this range only. */
  exact: boolean;
  ids(): string[];
}

/** One declared index: a bucket per key tuple of each leading prefix of its fields. */
class PrefixIndex {
  private readonly buckets: Map<string, Set<string>>[];
  private readonly loose = new Set<string>();
  /** The documents indexed (references to the stored, never mutated, documents). */
  private readonly docs = new Map<string, Doc>();
  /** `<depth>|<tuple>` → that bucket sorted by fields[depth]; null when its values can't be ordered. */
  private readonly sorted = new Map<string, SortedBucket | null>();

  constructor(readonly fields: string[]) {
    this.buckets = fields.map(() => new Map());
  }

  private tuples(doc: Doc): string[] | undefined {
    const keys: string[] = [];
    for (const f of this.fields) {
      const v = valueAt(doc, f);
      const k = v === LOOSE ? undefined : valueKey(v);
      if (k === undefined) return undefined;
      keys.push(k);
    }
    return keys.map((_, i) => keys.slice(0, i + 1).join(SEP));
  }

  add(id: string, doc: Doc): void {
    const tuples = this.tuples(doc);
    if (!tuples) {
      this.loose.add(id);
      return;
    }
    this.docs.set(id, doc);
    tuples.forEach((t, i) => {
      this.place(`${i + 1}|${t}`, i + 1, id, doc, true);
      let bucket = this.buckets[i].get(t);
      if (!bucket) this.buckets[i].set(t, (bucket = new Set()));
      bucket.add(id);
    });
  }

  remove(id: string, doc: Doc): void {
    const tuples = this.tuples(doc);
    if (!tuples) {
      this.loose.delete(id);
      return;
    }
    this.docs.delete(id);
    tuples.forEach((t, i) => {
      this.place(`${i + 1}|${t}`, i + 1, id, doc, false);
      const bucket = this.buckets[i].get(t);
      bucket?.delete(id);
      if (bucket?.size === 0) this.buckets[i].delete(t);
    });
  }

  /**
   * Keeps the sorted bucket `key` (ordered by fields[depth]) up to date when `doc` enters (`adding`) or leaves it:
   * its value goes in after its equals, or comes out where a binary search finds it. A bucket not built yet stays
   * so; one that can't be kept ordered (a value that is neither a number nor a date, or of the other kind) is
   * dropped and rebuilt when next asked for.
   */
  private place(key: string, depth: number, id: string, doc: Doc, adding: boolean): void {
    const sorted = this.sorted.get(key);
    if (sorted === undefined || depth >= this.fields.length) return;
    const drop = () => this.sorted.delete(key);
    if (sorted === null) return void drop();
    const v = valueAt(doc, this.fields[depth]);
    if (v === null || v === undefined) {
      sorted.nulls += adding ? 1 : -1;
      return;
    }
    const n = rangeValue(v);
    const kind = v instanceof Date ? 'date' : 'number';
    if (n === undefined || (sorted.ids.length > 0 && sorted.kind !== kind)) return void drop();
    const { values, ids } = sorted;
    if (adding) {
      const at = firstIndex(values, (x) => x > n);
      values.splice(at, 0, n);
      ids.splice(at, 0, id);
      sorted.kind = kind;
      return;
    }
    for (let at = firstIndex(values, (x) => x >= n); at < values.length && values[at] === n; at += 1) {
      if (ids[at] === id) {
        values.splice(at, 1);
        ids.splice(at, 1);
        return;
      }
    }
    drop(); // not where its value says: rebuild rather than guess
  }

  /** The equality prefix `query` fixes: its depth and tuple, when it fixes exactly one tuple. */
  private prefixOf(query: Doc): { depth: number; tuple: string } | undefined {
    const keys: string[] = [];
    for (const f of this.fields) {
      if (!(f in query)) break;
      const k = conditionKeys(query[f]);
      if (!k || k.length !== 1) break;
      keys.push(k[0]);
    }
    return keys.length ? { depth: keys.length, tuple: keys.join(SEP) } : undefined;
  }

  private sortedBucket(depth: number, tuple: string): SortedBucket | null {
    const key = `${depth}|${tuple}`;
    const cached = this.sorted.get(key);
    if (cached !== undefined) return cached;
    const bucket = this.buckets[depth - 1].get(tuple) ?? new Set<string>();
    const field = this.fields[depth];
    const rows: [number, string][] = [];
    let kind = '';
    let result: SortedBucket | null = null;
    let ok = true;
    let nulls = 0;
    for (const id of bucket) {
      const v = valueAt(this.docs.get(id) as Doc, field);
      if (v === null || v === undefined) {
        nulls += 1;
        continue;
      }
      const n = rangeValue(v);
      const k = v instanceof Date ? 'date' : 'number';
      if (n === undefined || (kind && kind !== k)) {
        ok = false;
        break;
      }
      kind = k;
      rows.push([n, id]);
    }
    if (ok) {
      rows.sort((a, b) => a[0] - b[0]);
      result = { kind, values: rows.map((r) => r[0]), ids: rows.map((r) => r[1]), nulls };
    }
    this.sorted.set(key, result);
    return result;
  }

  /**
   * For a query with equality on the leading fields and a range on the next one: where that range lies in the
   * bucket sorted by that field (binary search), with the loose documents every lookup adds. Undefined otherwise.
   */
  rangeSlice(query: Doc): RangeSlice | undefined {
    const prefix = this.prefixOf(query);
    if (!prefix || prefix.depth >= this.fields.length) return undefined;
    const bounds = rangeBounds(query[this.fields[prefix.depth]]);
    if (!bounds) return undefined;
    const sorted = this.sortedBucket(prefix.depth, prefix.tuple);
    if (!sorted || (sorted.ids.length && sorted.kind !== bounds.kind)) return undefined;
    const { values } = sorted;
    const { low, high } = bounds;
    const start = low ? firstIndex(values, (v) => (low[1] ? v >= low[0] : v > low[0])) : 0;
    const end = high ? firstIndex(values, (v) => (high[1] ? v > high[0] : v >= high[0])) : values.length;
    const width = Math.max(0, end - start);
    return {
      size: this.loose.size + width,
      // Nothing else to test (the query is the prefix and the range) and no loose document that might match.
      exact: this.loose.size === 0 && Object.keys(query).length === prefix.depth + 1,
      ids: () => [...this.loose, ...sorted.ids.slice(start, start + width)],
    };
  }

  /** For equality on the leading fields, the ids ordered by `field` when it is the next one (no loose ones). */
  orderedBy(query: Doc, field: string): string[] | undefined {
    const prefix = this.prefixOf(query);
    if (!prefix || this.fields[prefix.depth] !== field || this.loose.size > 0) return undefined;
    const sorted = this.sortedBucket(prefix.depth, prefix.tuple);
    return sorted && sorted.nulls === 0 ? sorted.ids : undefined;
  }

  /**
   * How many documents match `query` when it is exactly equalities on this index's leading fields (a bucket's
   * size) or those and a range on the next field (the width of a slice of the sorted bucket), else undefined.
   */
  exactCount(query: Doc): number | undefined {
    const prefix = this.prefixOf(query);
    if (!prefix || this.loose.size > 0) return undefined;
    if (Object.keys(query).length === prefix.depth)
      return this.buckets[prefix.depth - 1].get(prefix.tuple)?.size ?? 0;
    const slice = this.rangeSlice(query);
    return slice?.exact ? slice.size : undefined;
  }

  /** The ids that may match `query`, or undefined when the query does not fix this index's first field. */
  candidates(query: Doc): Set<string>[] | undefined {
    let tuples = [''];
    let depth = 0;
    for (const f of this.fields) {
      if (!(f in query)) break;
      const keys = conditionKeys(query[f]);
      if (!keys || tuples.length * keys.length > MAX_INDEX_KEYS) break;
      tuples = tuples.flatMap((t) => keys.map((k) => (depth === 0 ? k : `${t}${SEP}${k}`)));
      depth += 1;
    }
    if (depth === 0) return undefined;
    const sets: Set<string>[] = [this.loose];
    for (const t of tuples) {
      const bucket = this.buckets[depth - 1].get(t);
      if (bucket) sets.push(bucket);
    }
    return sets;
  }
}

/** A unique index: which document holds each key tuple (a missing field counts as null, as in CloudBase). */
class UniqueIndex {
  private readonly owners = new Map<string, string>();

  constructor(readonly spec: IndexSpec) {}

  tuple(doc: Doc): string {
    return this.spec.keys
      .map((k) => {
        const v = valueAt(doc, k.field);
        return (v === LOOSE ? undefined : valueKey(v)) ?? `j${JSON.stringify(v === LOOSE ? null : v)}`;
      })
      .join(SEP);
  }

  add(id: string, doc: Doc): void {
    this.owners.set(this.tuple(doc), id);
  }

  remove(id: string, doc: Doc): void {
    const t = this.tuple(doc);
    if (this.owners.get(t) === id) this.owners.delete(t);
  }

  owner(tuple: string): string | undefined {
    return this.owners.get(tuple);
  }
}

export class CollectionIndexes {
  private readonly prefix: PrefixIndex[];
  readonly unique: UniqueIndex[];
  /** Natural order: the position of each document's first insertion. */
  private readonly position = new Map<string, number>();
  private next = 0;

  constructor(specs: IndexSpec[]) {
    this.prefix = specs.map((s) => new PrefixIndex(s.keys.map((k) => k.field)));
    this.unique = specs.filter((s) => s.unique).map((s) => new UniqueIndex(s));
  }

  /** Records a write: `before` is the stored document it replaces (undefined for an insert), `after` null on delete. */
  update(id: string, before: Doc | undefined, after: Doc | null): void {
    if (before) for (const ix of [...this.prefix, ...this.unique]) ix.remove(id, before);
    if (after) {
      for (const ix of [...this.prefix, ...this.unique]) ix.add(id, after);
      if (!this.position.has(id)) this.position.set(id, this.next++);
    } else {
      this.position.delete(id);
    }
  }

  /** A document's place in natural order (its first insertion). */
  positionOf(id: string): number {
    return this.position.get(id) ?? Infinity;
  }

  /**
   * The ids that may match `query`, in natural order, from the index that narrows it most; undefined when no
   * declared index applies (the caller scans).
   */
  candidates(query: Doc, ordered = true): string[] | undefined {
    // The narrowest slice of a sorted bucket, unless an equality bucket is narrower still.
    let ranged: RangeSlice | undefined;
    for (const ix of this.prefix) {
      const slice = ix.rangeSlice(query);
      if (slice && (!ranged || slice.size < ranged.size)) ranged = slice;
    }
    let best: Set<string>[] | undefined;
    let bestSize = ranged?.size ?? Infinity;
    for (const ix of this.prefix) {
      const sets = ix.candidates(query);
      if (!sets) continue;
      const size = sets.reduce((n, s) => n + s.size, 0);
      if (size < bestSize) {
        best = sets;
        bestSize = size;
      }
    }
    if (!best) {
      if (!ranged) return undefined;
      const ids = ranged.ids();
      return ordered ? this.inNaturalOrder(ids) : ids;
    }
    const nonEmpty = best.filter((set) => set.size > 0);
    if (!ordered && nonEmpty.length <= 1) return [...(nonEmpty[0] ?? [])];
    const ids = new Set<string>();
    for (const s of best) for (const id of s) ids.add(id);
    const list = [...ids];
    return ordered ? this.inNaturalOrder(list) : list;
  }

  private inNaturalOrder(list: string[]): string[] {
    const keyed = list.map((id) => [this.position.get(id) ?? Infinity, id] as const);
    keyed.sort((a, b) => a[0] - b[0]);
    return keyed.map(([, id]) => id);
  }

  /** The number of matches of a query an index answers exactly (equalities, or those and a range), else undefined. */
  exactCount(query: Doc): number | undefined {
    for (const ix of this.prefix) {
      const n = ix.exactCount(query);
      if (n !== undefined) return n;
    }
    return undefined;
  }

  /**
   * The ids of an index bucket fixed by `query`'s equalities, ascending by `field` (the index's next field), ties in
   * any order; undefined when no declared index orders that way.
   */
  orderedBy(query: Doc, field: string): string[] | undefined {
    for (const ix of this.prefix) {
      const ids = ix.orderedBy(query, field);
      if (ids) return ids;
    }
    return undefined;
  }
}
