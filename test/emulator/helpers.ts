// Shared helpers for the emulator suite: temp data dirs, an emulator on a random port, the real SDK as admin.
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Emulator, EmulatorOptions } from '../../emulator';
import { adminEnv, startEmulator } from '../../emulator';

export const FIXTURE_FUNCTIONS = path.join(__dirname, '..', 'fixtures', 'functions');
export const FIXTURE_SCHEMA = path.join(__dirname, 'schema.fixture.json');

export function tempDir(prefix = 'emu-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function startTestEmulator(extra: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({
    port: 0,
    dataDir: tempDir(),
    functionsDir: FIXTURE_FUNCTIONS,
    schemaPath: FIXTURE_SCHEMA,
    quiet: true,
    ...extra,
  });
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Cloud = any;

/** Points the real wx-server-sdk in this process at the emulator (as admin) and returns it, initialised. */
export function adminCloud(emu: Emulator): Cloud {
  adminEnv(emu);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as Cloud;
  cloud.init({ env: emu.envId });
  return cloud;
}

export interface AdminReply {
  code?: string;
  message?: string;
  requestId?: string;
  data?: any;
  [k: string]: unknown;
}

/** Sends one raw admin-protocol request (what the SDK would send) and returns the parsed reply. */
export async function rawAdmin(emu: Emulator, body: unknown, pathSuffix = ''): Promise<AdminReply> {
  const res = await fetch(`${emu.url}/admin${pathSuffix}?env=${emu.envId}&seqId=test`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as AdminReply;
}

/** How a raw `database.modifyDocument` goes beyond its defaults (one document by id, merged, no upsert, no transaction). */
export interface ModifyOptions {
  queryType?: 'DOC' | 'WHERE';
  multi?: boolean;
  merge?: boolean;
  upsert?: boolean;
  transactionId?: string;
}

/**
 * The raw `database.modifyDocument` request the SDK sends for update() and set(): the documents of
 * `collectionName` matching `query` changed by `data` (EJSON text), as `options` says.
 */
export function modifyDocumentBody(
  collectionName: string,
  query: Record<string, unknown>,
  data: string,
  { queryType = 'DOC', multi = false, merge = true, upsert = false, transactionId }: ModifyOptions = {},
) {
  return {
    action: 'database.modifyDocument',
    collectionName,
    ...(transactionId === undefined ? {} : { transactionId }),
    queryType,
    query: JSON.stringify(query),
    data,
    multi,
    merge,
    upsert,
  };
}

export async function errorOf(
  p: Promise<unknown>,
): Promise<{ errCode?: number; errMsg?: string; code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { errCode?: number; errMsg?: string };
  }
  throw new Error('expected the call to fail');
}

/**
 * Moves `amount` from account `a` to account `b` of `accounts` in one transaction, as a transfer does: `a` read
 * then written from what was read, `b` incremented; `more` runs inside the same transaction, after both.
 */
export function transferAToB(
  db: Cloud,
  amount: number,
  more?: (t: Cloud) => Promise<unknown>,
): Promise<unknown> {
  const _ = db.command;
  return db.runTransaction(async (t: Cloud) => {
    const a = (await t.collection('accounts').doc('a').get()).data;
    await t
      .collection('accounts')
      .doc('a')
      .update({ data: { bal: a.bal - amount } });
    await t
      .collection('accounts')
      .doc('b')
      .update({ data: { bal: _.inc(amount) } });
    await more?.(t);
  });
}
