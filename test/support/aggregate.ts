/** Runs an aggregation through the emulator's database service as wx-server-sdk sends it (EJSON stages). */
import { EJSON } from 'bson';
import type { DatabaseService } from '../../emulator/database';

type Doc = Record<string, unknown>;

export async function aggregateViaEmulator(db: DatabaseService, collectionName: string, stages: Doc[]) {
  const body = {
    collectionName,
    stages: stages.map((s) => ({
      stageKey: Object.keys(s)[0],
      stageValue: EJSON.stringify(Object.values(s)[0], { relaxed: false }),
    })),
  };
  const out = (await db.handle('database.aggregateDocuments', body)) as { data: { list: string[] } };
  return out.data.list.map((text) => EJSON.parse(text, { relaxed: true }) as Doc);
}
