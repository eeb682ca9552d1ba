/**
 * What the store holds, read from outside the functions with the real SDK as admin: a refused request must leave
 * every collection as it was (`expectUnchanged`).
 */
import type { Emulator } from '../../emulator';
import { adminEnv } from '../../emulator';
import schema from '../../cloudfunctions/schema.json';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The emulator's database as the real SDK sees it, signed in as admin. */
export function adminDatabase(emu: Emulator): any {
  adminEnv(emu);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk');
  cloud.init({ env: emu.envId });
  return cloud.database();
}

/** Every document of collection `name`, a thousand a read. */
export async function readAll(db: any, name: string): Promise<any[]> {
  const out: any[] = [];
  for (let skip = 0; ; skip += 1000) {
    const res = await db.collection(name).skip(skip).limit(1000).get();
    out.push(...res.data);
    if (res.data.length < 1000) return out;
  }
}

export const ALL_COLLECTIONS: string[] = schema.collections.map((c: { name: string }) => c.name);

export type Snapshot = Record<string, any[]>;

/** Every document of `collections` (all by default), each collection sorted by id. */
export async function snapshot(emu: Emulator, collections: string[] = ALL_COLLECTIONS): Promise<Snapshot> {
  const db = adminDatabase(emu);
  const out: Snapshot = {};
  for (const name of collections) {
    const docs = await readAll(db, name);
    out[name] = docs.sort((a, b) => String(a._id).localeCompare(String(b._id)));
  }
  return out;
}

/** Runs `act` and asserts that nothing in `collections` changed. Returns what `act` returned. */
export async function expectUnchanged<T>(
  emu: Emulator,
  act: () => Promise<T>,
  collections: string[] = ALL_COLLECTIONS,
): Promise<T> {
  const before = await snapshot(emu, collections);
  const result = await act();
  const after = await snapshot(emu, collections);
  for (const name of collections) expect({ [name]: after[name] }).toEqual({ [name]: before[name] });
  return result;
}
