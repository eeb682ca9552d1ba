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

/** The value at a dotted path; `LOOSE` when an array (or a non-plain object) stands on the way. */
const LOOSE = Symbol('loose');

function valueAt(doc: Doc, field: string): unknown {
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
    if (ops[0] === '$in' && Array.isArray(condition.$in) && condition.$in.length <= 64) {
      const keys = condition.$in.map(valueKey);
      return keys.every((k): k is string => k !== undefined) ? keys : undefined;
    }
    return undefined;
  }
  const key = valueKey(condition);
  return key === undefined ? undefined : [key];
}

const SEP = '\u0000';

/** One declared index: a bucket per key tuple of each leading prefix of its fields. */
class PrefixIndex {
  private readonly buckets: Map<string, Set<string>>[];
  private readonly loose = new Set<string>();

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
    tuples.forEach((t, i) => {
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
    tuples.forEach((t, i) => {
      const bucket = this.buckets[i].get(t);
      bucket?.delete(id);
      if (bucket?.size === 0) this.buckets[i].delete(t);
    });
  }

  /** The ids that may match `query`, or undefined when the query does not fix this index's first field. */
  candidates(query: Doc): Set<string>[] | undefined {
    let tuples = [''];
    let depth = 0;
    for (const f of this.fields) {
      if (!(f in query)) break;
      const keys = conditionKeys(query[f]);
      if (!keys || tuples.length * keys.length > 256) break;
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
    let best: Set<string>[] | undefined;
    let bestSize = Infinity;
    for (const ix of this.prefix) {
      const sets = ix.candidates(query);
      if (!sets) continue;
      const size = sets.reduce((n, s) => n + s.size, 0);
      if (size < bestSize) {
        best = sets;
        bestSize = size;
      }
    }
    if (!best) return undefined;
    const nonEmpty = best.filter((set) => set.size > 0);
    if (!ordered && nonEmpty.length <= 1) return [...(nonEmpty[0] ?? [])];
    const ids = new Set<string>();
    for (const s of best) for (const id of s) ids.add(id);
    const list = [...ids];
    if (!ordered) return list;
    const keyed = list.map((id) => [this.position.get(id) ?? Infinity, id] as const);
    keyed.sort((a, b) => a[0] - b[0]);
    return keyed.map(([, id]) => id);
  }
}
