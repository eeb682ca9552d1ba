// A compiled test for the simple queries the functions send most (equality, `$in`, `$ne`, ranges and `$not` of
// them on scalar fields), so that counting or ranking over an index bucket of 20,000 documents costs plain
// comparisons, not 20,000 runs of mingo. Anything else (arrays on the path, regexps, `$or`, `$expr`, objects)
// returns undefined and the caller uses mingo, so results are mingo's.
import type { Doc } from './ejson';
import { isPlainObject } from './ejson';

export type Predicate = (doc: Doc) => boolean;

const MISSING = Symbol('missing');
const COMPLEX = Symbol('complex');

function valueAt(doc: Doc, parts: string[]): unknown {
  let cur: unknown = doc;
  for (const part of parts) {
    if (cur === null || cur === undefined) return MISSING;
    if (Array.isArray(cur) || !isPlainObject(cur)) return COMPLEX;
    if (!(part in cur)) return MISSING;
    cur = (cur as Doc)[part];
  }
  return cur;
}

type Kind = 'number' | 'string' | 'boolean' | 'date' | 'null';
function kindOf(value: unknown): Kind | undefined {
  if (value === null || value === undefined || value === MISSING) return 'null';
  if (value instanceof Date) return 'date';
  const t = typeof value;
  if (t === 'number') return Number.isNaN(value) ? undefined : 'number';
  if (t === 'string' || t === 'boolean') return t;
  return undefined;
}

const comparable = (v: unknown): number | string | boolean =>
  v instanceof Date ? v.getTime() : (v as number | string | boolean);

function equals(stored: unknown, wanted: unknown): boolean {
  const a = kindOf(stored);
  const b = kindOf(wanted);
  if (a !== b) return false;
  if (a === 'null') return true; // null matches null and missing
  return comparable(stored) === comparable(wanted);
}

/** One operator on a stored scalar; undefined when the operand is not a scalar this module handles. */
function operator(op: string, operand: unknown): ((stored: unknown) => boolean) | undefined {
  const kind = kindOf(operand);
  switch (op) {
    case '$eq':
      return kind ? (s) => equals(s, operand) : undefined;
    case '$ne':
      return kind ? (s) => !equals(s, operand) : undefined;
    case '$in':
      if (!Array.isArray(operand) || !operand.every((v) => kindOf(v))) return undefined;
      return (s) => operand.some((v) => equals(s, v));
    case '$nin':
      if (!Array.isArray(operand) || !operand.every((v) => kindOf(v))) return undefined;
      return (s) => !operand.some((v) => equals(s, v));
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      // Ranges compare within a type only (type bracketing): a missing or null field never matches them.
      if (!kind || kind === 'null' || kind === 'boolean') return undefined;
      const bound = comparable(operand);
      return (s) => {
        if (kindOf(s) !== kind) return false;
        const v = comparable(s);
        return op === '$gt' ? v > bound : op === '$gte' ? v >= bound : op === '$lt' ? v < bound : v <= bound;
      };
    }
    default:
      return undefined;
  }
}

function condition(cond: unknown): ((stored: unknown) => boolean) | undefined {
  if (!isPlainObject(cond)) return kindOf(cond) ? (s) => equals(s, cond) : undefined;
  const keys = Object.keys(cond);
  if (!keys.length || !keys.every((k) => k.startsWith('$'))) return undefined;
  const tests: ((stored: unknown) => boolean)[] = [];
  for (const k of keys) {
    if (k === '$not') {
      const inner = condition(cond.$not);
      if (!inner || !isPlainObject(cond.$not)) return undefined;
      tests.push((s) => !inner(s));
      continue;
    }
    const t = operator(k, cond[k]);
    if (!t) return undefined;
    tests.push(t);
  }
  return (s) => tests.every((t) => t(s));
}

/** A predicate equal to mingo's test for `query`, or undefined when the query is not of the simple kind. */
export function compilePredicate(query: Doc): Predicate | undefined {
  const tests: [string[], (stored: unknown) => boolean][] = [];
  for (const [field, cond] of Object.entries(query)) {
    if (field.startsWith('$')) return undefined;
    const t = condition(cond);
    if (!t) return undefined;
    tests.push([field.split('.'), t]);
  }
  return (doc) =>
    tests.every(([field, t]) => {
      const v = valueAt(doc, field);
      // An array (which a condition matches by its elements) or an object at the path: mingo judges it.
      if (v === COMPLEX || Array.isArray(v) || (v !== null && typeof v === 'object' && !(v instanceof Date)))
        throw new NeedsMingo();
      return t(v === MISSING ? undefined : v);
    });
}

/** Thrown by a compiled predicate on a document it can't judge (an array on the path): use mingo for that one. */
export class NeedsMingo extends Error {}
