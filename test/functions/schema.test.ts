/**
 * The schema file is the one list of collections and indexes a deploy creates and the emulator enforces:
 * every collection the functions use (all go through COLLECTIONS) must be declared there, and nothing else may
 * reach the database by a literal collection name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { COLLECTIONS } from '../../cloudfunctions/common/model';
import { sourceFiles } from '../support/sources';

const ROOT = path.join(__dirname, '..', '..');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'cloudfunctions', 'schema.json'), 'utf8')) as {
  collections: { name: string; indexes: { name: string; keys: { field: string }[] }[] }[];
};

describe('schema file', () => {
  const declared = new Set(schema.collections.map((c) => c.name));

  it('declares every collection the functions use', () => {
    const missing = Object.values(COLLECTIONS).filter((name) => !declared.has(name));
    expect(missing).toEqual([]);
  });

  it('is reached only through COLLECTIONS, never a literal name', () => {
    const literal = /\.collection\(\s*['"`]/;
    const offenders = sourceFiles(path.join(ROOT, 'cloudfunctions')).filter((file) =>
      literal.test(fs.readFileSync(file, 'utf8')),
    );
    expect(offenders.map((f) => path.relative(ROOT, f))).toEqual([]);
  });

  it('names each index uniquely within its collection', () => {
    for (const collection of schema.collections) {
      const names = collection.indexes.map((i) => i.name);
      expect([collection.name, new Set(names).size]).toEqual([collection.name, names.length]);
    }
  });
});
