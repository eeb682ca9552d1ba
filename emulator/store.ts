// Durable storage: one SQLite file (WAL) holding collections, documents, file metadata and the outbox.
// Documents are cached in memory (parsed) per collection; every write goes to SQLite first, then the cache.
import fs from 'fs';
import path from 'path';
import Database from 'better-sqlite3';
import { EJSON } from 'bson';
import type { Doc } from './ejson';
import { cloneDoc, toEjson } from './ejson';
import { CollectionIndexes } from './indexes';
import type { IndexSpec } from './schema';

export interface StoredDoc {
  ver: number;
  doc: Doc; // treat as immutable; clone before mutating
}

export interface DocWrite {
  coll: string;
  id: string;
  doc: Doc | null; // null = delete
}

export interface FileRecord {
  fileId: string;
  path: string;
  openid: string;
  size: number;
  uploadedAt: number;
}

export interface OutboxEntry {
  seq: number;
  api: string;
  data: unknown;
  at: string;
}

export class Store {
  readonly db: Database.Database;
  private readonly cache = new Map<string, Map<string, StoredDoc>>();
  private readonly indexes = new Map<string, CollectionIndexes>();
  private verSeq = 0;

  private readonly lockFile: string;

  constructor(readonly dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.lockFile = path.join(dataDir, 'emulator.pid');
    Store.lock(this.lockFile);
    this.db = new Database(path.join(dataDir, 'cloudbase.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS docs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        coll TEXT NOT NULL, id TEXT NOT NULL, ver INTEGER NOT NULL, body TEXT NOT NULL,
        UNIQUE (coll, id)
      );
      CREATE TABLE IF NOT EXISTS files (
        file_id TEXT PRIMARY KEY, path TEXT NOT NULL, openid TEXT NOT NULL, size INTEGER NOT NULL, uploaded_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, api TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    const row = this.db.prepare('SELECT MAX(ver) AS v FROM docs').get() as { v: number | null };
    this.verSeq = row.v ?? 0;
    for (const c of this.db.prepare('SELECT name FROM collections ORDER BY name').all() as {
      name: string;
    }[]) {
      this.cache.set(c.name, new Map());
    }
    const docs = this.db.prepare('SELECT coll, id, ver, body FROM docs ORDER BY seq').all() as {
      coll: string;
      id: string;
      ver: number;
      body: string;
    }[];
    for (const d of docs) {
      const parsed = cloneDoc(EJSON.parse(d.body, { relaxed: true }) as Doc);
      this.collectionMap(d.coll)?.set(d.id, { ver: d.ver, doc: parsed });
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
    try {
      if (fs.readFileSync(this.lockFile, 'utf8').trim() === String(process.pid)) fs.unlinkSync(this.lockFile);
    } catch {
      // already gone
    }
  }

  /** One emulator per data directory (the document cache assumes it owns the store); stale locks are taken over. */
  private static lock(file: string): void {
    try {
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid) {
        let alive = true;
        try {
          process.kill(pid, 0);
        } catch (e) {
          alive = (e as NodeJS.ErrnoException).code === 'EPERM';
        }
        if (alive) throw new Error(`${path.dirname(file)} is in use by another emulator (pid ${pid})`);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    fs.writeFileSync(file, String(process.pid));
  }

  hasCollection(name: string): boolean {
    return this.cache.has(name);
  }

  collections(): string[] {
    return [...this.cache.keys()].sort();
  }

  createCollection(name: string, at: number): boolean {
    if (this.cache.has(name)) return false;
    this.db.prepare('INSERT INTO collections (name, created_at) VALUES (?, ?)').run(name, at);
    this.cache.set(name, new Map());
    return true;
  }

  /** Keeps the declared indexes of `coll` (schema.json) in memory, built from what is stored now. */
  defineIndexes(coll: string, specs: IndexSpec[]): void {
    const indexes = new CollectionIndexes(specs);
    for (const [id, d] of this.cache.get(coll) ?? []) indexes.update(id, undefined, d.doc);
    this.indexes.set(coll, indexes);
  }

  /** The collection's in-memory indexes (undefined when it declares none). */
  indexesOf(coll: string): CollectionIndexes | undefined {
    return this.indexes.get(coll);
  }

  private collectionMap(name: string): Map<string, StoredDoc> | undefined {
    return this.cache.get(name);
  }

  /** All documents of a collection in natural (insertion) order. */
  all(coll: string): StoredDoc[] {
    return [...(this.cache.get(coll)?.values() ?? [])];
  }

  allEntries(coll: string): [string, StoredDoc][] {
    return [...(this.cache.get(coll)?.entries() ?? [])];
  }

  /** `entries` (documents of `coll`) in natural order. */
  naturalOrder(coll: string, entries: [string, StoredDoc][]): [string, StoredDoc][] {
    if (entries.length <= 1) return entries;
    const indexes = this.indexes.get(coll);
    if (indexes) return [...entries].sort((a, b) => indexes.positionOf(a[0]) - indexes.positionOf(b[0]));
    const wanted = new Set(entries.map(([id]) => id));
    return this.allEntries(coll).filter(([id]) => wanted.has(id));
  }

  get(coll: string, id: string): StoredDoc | undefined {
    return this.cache.get(coll)?.get(id);
  }

  /** The version the latest write got: every write takes the next one, so it orders all commits. */
  currentVersion(): number {
    return this.verSeq;
  }

  version(coll: string, id: string): number {
    return this.get(coll, id)?.ver ?? 0;
  }

  /** Applies a batch of writes atomically (one SQLite transaction), then updates the cache. */
  apply(writes: DocWrite[]): void {
    if (writes.length === 0) return;
    const ins = this.db.prepare('INSERT INTO docs (coll, id, ver, body) VALUES (?, ?, ?, ?)');
    const upd = this.db.prepare('UPDATE docs SET ver = ?, body = ? WHERE coll = ? AND id = ?');
    const del = this.db.prepare('DELETE FROM docs WHERE coll = ? AND id = ?');
    const planned: { w: DocWrite; ver: number }[] = [];
    let seq = this.verSeq;
    const run = this.db.transaction(() => {
      for (const w of writes) {
        const ver = ++seq;
        if (w.doc === null) {
          del.run(w.coll, w.id);
        } else {
          const body = toEjson(w.doc);
          const r = upd.run(ver, body, w.coll, w.id);
          if (r.changes === 0) ins.run(w.coll, w.id, ver, body);
        }
        planned.push({ w, ver });
      }
    });
    run();
    this.verSeq = seq;
    for (const { w, ver } of planned) {
      const map = this.cache.get(w.coll);
      if (!map) continue;
      this.indexes.get(w.coll)?.update(w.id, map.get(w.id)?.doc, w.doc);
      if (w.doc === null) map.delete(w.id);
      else map.set(w.id, { ver, doc: w.doc });
    }
  }

  addFile(rec: FileRecord): void {
    this.db
      .prepare(
        'INSERT INTO files (file_id, path, openid, size, uploaded_at) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT(file_id) DO UPDATE SET path = excluded.path, openid = excluded.openid, size = excluded.size, uploaded_at = excluded.uploaded_at',
      )
      .run(rec.fileId, rec.path, rec.openid, rec.size, rec.uploadedAt);
  }

  getFile(fileId: string): FileRecord | undefined {
    const row = this.db
      .prepare('SELECT file_id, path, openid, size, uploaded_at FROM files WHERE file_id = ?')
      .get(fileId) as
      { file_id: string; path: string; openid: string; size: number; uploaded_at: number } | undefined;
    return row
      ? {
          fileId: row.file_id,
          path: row.path,
          openid: row.openid,
          size: row.size,
          uploadedAt: row.uploaded_at,
        }
      : undefined;
  }

  deleteFile(fileId: string): boolean {
    return this.db.prepare('DELETE FROM files WHERE file_id = ?').run(fileId).changes > 0;
  }

  addOutbox(api: string, data: unknown, at: number): void {
    this.db.prepare('INSERT INTO outbox (api, body, at) VALUES (?, ?, ?)').run(api, JSON.stringify(data), at);
  }

  /** The emulator's own settings that outlive a restart (the clock offset). */
  setting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setSetting(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  outbox(): OutboxEntry[] {
    const rows = this.db.prepare('SELECT seq, api, body, at FROM outbox ORDER BY seq').all() as {
      seq: number;
      api: string;
      body: string;
      at: number;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      api: r.api,
      data: JSON.parse(r.body) as unknown,
      at: new Date(r.at).toISOString(),
    }));
  }
}
