// `$lookup` stages resolved from the store and its indexes instead of copying the whole foreign collection into
// mingo. A database serves these from indexes too: an equality lookup (localField/foreignField) reads the foreign
// documents by their key, and a sub-pipeline whose first `$match` compares fields with constants or with the
// lookup's `let` variables (`$eq $gt $gte $lt $lte` in `$expr`, which MongoDB 5 serves from an index) reads a
// bucket or a range. What follows the match is cheap here too: a `$count` counts without copying, and a
// `$sort` + `$skip` + `$limit` sorts the matches in place and copies only the page. Anything else falls back to
// mingo on copies, so the results are always those of mingo's own `$lookup`.
import { Aggregator } from 'mingo';
import type { Doc } from './ejson';
import { copyDoc, isPlainObject } from './ejson';
import { LOOSE, valueAt } from './indexes';

/** What the database gives this module: the documents matching a plain query (uncopied), in natural order. */
export interface LookupSource {
  matching(coll: string, query: Doc, ordered?: boolean): Doc[];
  /** How many documents match (from an index bucket's size when the query is exactly its equalities). */
  count(coll: string, query: Doc): number;
  /**
   * The documents of an index bucket ascending by `field`, when a declared index orders its bucket that way and
   * fixes `query`'s equalities: read one at a time (`entry(i)`, with whether it matches the whole query).
   */
  orderedBy(
    coll: string,
    query: Doc,
    field: string,
  ): { size: number; entry(i: number): { doc: Doc; match: boolean } | undefined } | undefined;
  /** A document's place in natural order, where the collection keeps one (declared indexes). */
  positionOf(coll: string): ((id: string) => number) | undefined;
  /** Every document of a collection, copied (the fallback). */
  copies(coll: string): Doc[];
}

const COMPARISONS = new Set(['$eq', '$gt', '$gte']);

/** A literal that a plain query can carry as is (no operator-looking strings, no nested objects). */
function isScalar(value: unknown): boolean {
  if (value === null || value instanceof Date) return true;
  if (typeof value === 'string') return !value.startsWith('$');
  return typeof value === 'number' || typeof value === 'boolean';
}

/**
 * `$expr` of comparisons between a field and a variable or constant, as plain conditions; undefined when the
 * expression is anything else. `{$gt: ['$earned', '$$earned']}` with earned = 610 becomes `{earned: {$gt: 610}}`.
 */
function exprAsQuery(expr: unknown, vars: Record<string, unknown>): Doc[] | undefined {
  if (!isPlainObject(expr)) return undefined;
  const ops = Object.keys(expr);
  if (ops.length !== 1) return undefined;
  const op = ops[0];
  const args = expr[op];
  if (op === '$and' && Array.isArray(args)) {
    const parts = args.map((a) => exprAsQuery(a, vars));
    return parts.every((p): p is Doc[] => p !== undefined) ? parts.flat() : undefined;
  }
  if (!COMPARISONS.has(op) || !Array.isArray(args) || args.length !== 2) return undefined;
  const [field, operand] = args as unknown[];
  if (typeof field !== 'string' || !field.startsWith('$') || field.startsWith('$$')) return undefined;
  let value = operand;
  if (typeof operand === 'string' && operand.startsWith('$$')) {
    const name = operand.slice(2);
    if (!(name in vars)) return undefined;
    value = vars[name];
  }
  // Aggregation comparisons order across types (a missing field is less than any number); a query's don't. Only
  // where both agree is the expression rewritten: an equality with a non-null scalar, or `$gt`/`$gte` against a
  // number or a date (a missing field is below both, so neither form matches it).
  if (!isScalar(value) || value === null) return undefined;
  if (op !== '$eq' && op !== '$gt' && op !== '$gte') return undefined;
  if (op !== '$eq' && typeof value !== 'number' && !(value instanceof Date)) return undefined;
  return [{ [field.slice(1)]: op === '$eq' ? value : { [op]: value } }];
}

/** A `$match` as a plain query (its `$expr` rewritten with the variables), or undefined. */
function plainQuery(match: unknown, vars: Record<string, unknown>): Doc | undefined {
  if (!isPlainObject(match)) return undefined;
  const plain: Doc = {};
  const and: Doc[] = [];
  for (const [k, v] of Object.entries(match)) {
    if (k === '$expr') {
      const parts = exprAsQuery(v, vars);
      if (!parts) return undefined;
      and.push(...parts);
    } else {
      if (JSON.stringify(v ?? null).includes('$$')) return undefined;
      plain[k] = v;
    }
  }
  // Conditions on a field not already constrained stay top-level, so the index sees them.
  const rest: Doc[] = [];
  for (const part of and) {
    const [field] = Object.keys(part);
    if (field in plain) rest.push(part);
    else plain[field] = part[field];
  }
  return rest.length ? { ...plain, $and: rest } : plain;
}

const sortable = (v: unknown): number | string => (v instanceof Date ? v.getTime() : (v as number | string));

/**
 * Sorts documents by a `$sort` of number, string or date fields (one type per field), ties in natural order as
 * mingo's stable sort of a scan leaves them; undefined when the values are of mixed types (mingo sorts those).
 * Keys are read once per document.
 */
function sortDocs(spec: Doc, docs: Doc[], position: ((id: string) => number) | undefined): Doc[] | undefined {
  const fields = Object.entries(spec);
  if (!fields.every(([, dir]) => dir === 1 || dir === -1)) return undefined;
  const rows: { keys: (number | string)[]; pos: number; doc: Doc }[] = [];
  const kinds: string[] = [];
  for (const [i, doc] of docs.entries()) {
    const keys: (number | string)[] = [];
    for (const [f, [field]] of fields.entries()) {
      const v = valueAt(doc, field);
      const kind = v instanceof Date ? 'date' : typeof v;
      if (kind !== 'number' && kind !== 'string' && kind !== 'date') return undefined;
      if ((kinds[f] ??= kind) !== kind) return undefined;
      keys.push(sortable(v));
    }
    rows.push({ keys, pos: position ? position(String(doc._id)) : i, doc });
  }
  const dirs = fields.map(([, dir]) => dir as number);
  rows.sort((a, b) => {
    for (let f = 0; f < dirs.length; f += 1) {
      if (a.keys[f] < b.keys[f]) return -dirs[f];
      if (a.keys[f] > b.keys[f]) return dirs[f];
    }
    return a.pos - b.pos;
  });
  return rows.map((r) => r.doc);
}

/**
 * A `$sort` whose first field an index orders (equality on the fields before it), followed by `$skip`/`$limit`:
 * the page is read from that end of the ordered bucket, each run of equal first keys sorted fully, so only the
 * page's neighbourhood is sorted. The result holds at least the documents the page needs, in order.
 */
function indexedPage(
  source: LookupSource,
  from: string,
  query: Doc,
  spec: Doc,
  after: Doc[],
): Doc[] | undefined {
  const [[field, dir], ...others] = Object.entries(spec);
  if (dir !== 1 && dir !== -1) return undefined;
  let want = 0;
  for (const s of after) {
    if (isPlainObject(s) && typeof s.$skip === 'number' && Object.keys(s).length === 1) want += s.$skip;
    else if (isPlainObject(s) && typeof s.$limit === 'number' && Object.keys(s).length === 1) {
      want += s.$limit;
      break;
    } else return undefined;
  }
  if (!want) return undefined;
  const ordered = source.orderedBy(from, query, field);
  if (!ordered) return undefined;
  const n = ordered.size;
  const at = (k: number) => ordered.entry(dir === 1 ? k : n - 1 - k);
  const out: Doc[] = [];
  const position = source.positionOf(from);
  // Runs of equal first keys, from the wanted end, each sorted by the rest of the spec, until the page is full.
  for (let k = 0; k < n && out.length < want;) {
    const first = at(k);
    if (!first) return undefined;
    const key = sortable(valueAt(first.doc, field));
    const run: Doc[] = [];
    for (; k < n; k += 1) {
      const e = at(k);
      if (!e) return undefined;
      if (sortable(valueAt(e.doc, field)) !== key) break;
      if (e.match) run.push(e.doc);
    }
    const sorted = others.length
      ? sortDocs(Object.fromEntries(others), run, position)
      : sortDocs({ [field]: dir }, run, position);
    if (!sorted) return undefined;
    out.push(...sorted);
  }
  return out;
}

/**
 * Runs a sub-pipeline on the documents its first `$match` selects: a `$count` counts them without copying or
 * ordering, a `$sort` (+ `$skip`/`$limit`) sorts them in place and copies only the page; the rest goes to mingo.
 */
function runSub(source: LookupSource, from: string, query: Doc, rest: Doc[]): Doc[] {
  const [next] = rest;
  if (rest.length === 1 && isPlainObject(next) && typeof next.$count === 'string') {
    const n = source.count(from, query);
    return n ? [{ [next.$count]: n }] : [];
  }
  let list: Doc[] | undefined;
  let i = 0;
  if (isPlainObject(next) && isPlainObject(next.$sort)) {
    list =
      indexedPage(source, from, query, next.$sort, rest.slice(1)) ??
      sortDocs(next.$sort, source.matching(from, query, false), source.positionOf(from));
    if (list) {
      i = 1;
      for (; i < rest.length; i += 1) {
        const s = rest[i];
        if (isPlainObject(s) && typeof s.$skip === 'number' && Object.keys(s).length === 1)
          list = list.slice(s.$skip);
        else if (isPlainObject(s) && typeof s.$limit === 'number' && Object.keys(s).length === 1)
          list = list.slice(0, s.$limit);
        else break;
      }
    }
  }
  const copies = (list ?? source.matching(from, query)).map(copyDoc);
  const tail = rest.slice(i);
  return tail.length ? (new Aggregator(tail).run(copies) as Doc[]) : copies;
}

/** The `let` variables of a lookup for one document, or undefined when one is not a plain field path. */
function letValues(spec: Doc, doc: Doc): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [name, expr] of Object.entries(isPlainObject(spec.let) ? spec.let : {})) {
    if (typeof expr !== 'string' || !expr.startsWith('$') || expr.startsWith('$$')) return undefined;
    const v = valueAt(doc, expr.slice(1));
    if (v === LOOSE) return undefined;
    out[name] = v ?? null;
  }
  return out;
}

/**
 * Applies one `$lookup` to `docs` (the pipeline's documents at this stage, owned by the pipeline): returns the
 * documents with `as` set, or undefined when this module does not serve that form (the caller runs mingo).
 */
export function resolveLookup(source: LookupSource, spec: Doc, docs: Doc[]): Doc[] | undefined {
  const { from, as } = spec;
  if (typeof from !== 'string' || typeof as !== 'string' || as.includes('.')) return undefined;
  if (typeof spec.localField === 'string' && typeof spec.foreignField === 'string') {
    if (spec.pipeline !== undefined || spec.let !== undefined) return undefined;
    const local = spec.localField;
    const foreign = spec.foreignField;
    const valuesOf = (doc: Doc): unknown[] | undefined => {
      const v = valueAt(doc, local);
      if (v === LOOSE) return undefined;
      const list = Array.isArray(v) ? v : [v ?? null];
      return list.every(isScalar) ? list : undefined;
    };
    const perDoc = docs.map(valuesOf);
    if (perDoc.some((v) => v === undefined)) return undefined;
    const all = [...new Set((perDoc as unknown[][]).flat())];
    if (all.some((v) => v instanceof Date)) return undefined;
    const found = source.matching(from, { [foreign]: { $in: all } });
    // A foreign array matches by its elements: mingo decides those.
    if (found.some((f) => Array.isArray(valueAt(f, foreign)) || valueAt(f, foreign) === LOOSE))
      return undefined;
    return docs.map((doc, i) => {
      const wanted = new Set(perDoc[i]);
      const hits = found.filter((f) => {
        const fv = valueAt(f, foreign);
        return fv !== LOOSE && wanted.has(fv ?? null);
      });
      return { ...doc, [as]: hits.map(copyDoc) };
    });
  }
  if (spec.localField !== undefined || !Array.isArray(spec.pipeline)) return undefined;
  const [first, ...rest] = spec.pipeline as Doc[];
  if (!isPlainObject(first) || !('$match' in first)) return undefined;
  const out: Doc[] = [];
  for (const doc of docs) {
    const vars = letValues(spec, doc);
    if (!vars) return undefined;
    const query = plainQuery(first.$match, vars);
    if (!query) return undefined;
    if (rest.some((s) => JSON.stringify(s).includes('$$'))) return undefined;
    out.push({ ...doc, [as]: runSub(source, from, query, rest) });
  }
  return out;
}

/** Runs a pipeline, resolving its `$lookup` stages from the store where it can and everything else with mingo. */
export function runPipeline(source: LookupSource, stages: Doc[], input: Doc[]): Doc[] {
  let list = input;
  let pending: Doc[] = [];
  const flush = () => {
    if (!pending.length) return;
    list = new Aggregator(pending, { collectionResolver: (name: string) => source.copies(name) }).run(
      list,
    ) as Doc[];
    pending = [];
  };
  for (const stage of stages) {
    if (isPlainObject(stage) && isPlainObject(stage.$lookup)) {
      flush();
      const resolved = resolveLookup(source, stage.$lookup, list);
      if (resolved) {
        list = resolved;
        continue;
      }
    }
    pending.push(stage);
  }
  flush();
  return list;
}
