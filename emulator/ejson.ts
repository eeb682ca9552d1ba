// Extended JSON helpers: the wire format of CloudBase's database protocol.
import { BSONRegExp, EJSON } from 'bson';

export type Doc = Record<string, unknown>;

export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parses an EJSON string (relaxed), turning regexes into native RegExp and server dates into Dates. */
export function parseEjson(text: unknown, what: string, now: number): unknown {
  if (typeof text !== 'string') {
    throw new ProtocolError('INVALID_PARAM', `${what} must be an Extended JSON string`);
  }
  let value: unknown;
  try {
    value = EJSON.parse(text, { relaxed: true });
  } catch (e) {
    throw new ProtocolError('INVALID_PARAM', `${what} is not valid Extended JSON: ${(e as Error).message}`);
  }
  return normalize(value, now);
}

export function parseEjsonObject(text: unknown, what: string, now: number): Doc {
  const value = parseEjson(text, what, now);
  if (!isPlainObject(value)) {
    throw new ProtocolError('INVALID_PARAM', `${what} must be an object`);
  }
  return value;
}

export function isPlainObject(value: unknown): value is Doc {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function normalize(value: unknown, now: number): unknown {
  if (value instanceof BSONRegExp) return new RegExp(value.pattern, value.options);
  if (Array.isArray(value)) return value.map((v) => normalize(v, now));
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$tcb_server_date') {
      const spec = value.$tcb_server_date;
      const offset = isPlainObject(spec) && typeof spec.offset === 'number' ? spec.offset : 0;
      return new Date(now + offset);
    }
    const out: Doc = {};
    for (const k of keys) out[k] = normalize(value[k], now);
    return out;
  }
  return value;
}

/** Canonical EJSON, so dates and number types survive the round trip. */
export function toEjson(value: unknown): string {
  return EJSON.stringify(value as Doc, { relaxed: false });
}

/** A private deep copy (documents are mutated by update operators). */
export function cloneDoc<T>(value: T): T {
  return normalize(EJSON.parse(toEjson(value), { relaxed: true }), 0) as T;
}

/**
 * A private deep copy of a stored document, without a trip through EJSON text: plain objects, arrays and dates are
 * copied; strings, numbers, regexps and BSON values are immutable and shared. Same result as cloneDoc on what the
 * store holds (documents it parsed and normalised itself), at a fraction of the cost.
 */
export function copyDoc<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyDoc) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const k of Object.keys(value)) out[k] = copyDoc(value[k]);
    return out as T;
  }
  return value;
}
