// The one schema file (cloudfunctions/schema.json): collections and their indexes, shared with deploy.
import fs from 'fs';

export interface IndexKey {
  field: string;
  direction: 1 | -1;
}

export interface IndexSpec {
  name: string;
  keys: IndexKey[];
  unique: boolean;
}

export interface CollectionSpec {
  name: string;
  indexes: IndexSpec[];
}

export interface Schema {
  collections: CollectionSpec[];
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Parses a schema object; unknown properties are ignored, malformed entries are rejected with a clear message. */
export function parseSchema(raw: unknown, source = 'schema'): Schema {
  const top = asRecord(raw);
  const list = Array.isArray(top.collections) ? top.collections : [];
  const collections: CollectionSpec[] = [];
  for (const [i, entry] of list.entries()) {
    const c = typeof entry === 'string' ? { name: entry } : asRecord(entry);
    if (typeof c.name !== 'string' || !c.name) throw new Error(`${source}: collections[${i}] has no name`);
    const indexes: IndexSpec[] = [];
    const rawIndexes = Array.isArray(c.indexes) ? c.indexes : [];
    for (const [j, ix] of rawIndexes.entries()) {
      const r = asRecord(ix);
      const keys = (Array.isArray(r.keys) ? r.keys : []).map((k) => {
        const kr = asRecord(k);
        if (typeof kr.field !== 'string')
          throw new Error(`${source}: ${c.name}.indexes[${j}] has a key without field`);
        return { field: kr.field, direction: kr.direction === -1 ? -1 : 1 } as IndexKey;
      });
      if (keys.length === 0) throw new Error(`${source}: ${c.name}.indexes[${j}] has no keys`);
      const name =
        typeof r.name === 'string' && r.name
          ? r.name
          : keys.map((k) => `${k.field}_${k.direction}`).join('_');
      indexes.push({ name, keys, unique: r.unique === true });
    }
    collections.push({ name: c.name, indexes });
  }
  return { collections };
}

export function loadSchema(file: string | undefined): Schema {
  if (!file || !fs.existsSync(file)) return { collections: [] };
  return parseSchema(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown, file);
}
