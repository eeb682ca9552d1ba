/**
 * Every daily action does the same work in a town five times larger: the documents its database requests read and
 * test (the emulator's `examined` count, as `npm run bench` prints it) stay within a few of the small town's. A
 * query that no declared index serves reads every document of its collection, so it would grow by at least the
 * 160 families (or their members, scores, claims) the large town adds: that is the regression this catches,
 * without timing anything. The towns are the bench's (scripts/lib/bench-town.ts), at 40 families a village.
 */
import { invoke, seedBenchTown, type Measured } from '../../scripts/lib/bench-town';
import { startScratchEmulator } from '../../scripts/lib/scratch-emulator';
import { builtFunctions } from '../support/backend';
import { TEST_NOW } from '../support/clock';

/** Documents an action may read beyond the small town's: ties on a ranking page differ, the villages' names grow. */
const SLACK = 25;
const PER_VILLAGE = 40;

interface Examined {
  label: string;
  examined: number;
}

async function examineTown(villages: number): Promise<Examined[]> {
  const backend = await startScratchEmulator(await builtFunctions(), { name: 'scale', clockAt: TEST_NOW });
  try {
    const { emu } = backend;
    const town = await seedBenchTown(emu, { villages, perVillage: PER_VILLAGE, extraVillages: 1, runs: 1 });
    const out: Examined[] = [];
    for (const spec of town.specs) {
      const m = await invoke(emu, spec.fn, spec.action, await spec.input(0), spec.openid);
      out.push({ label: spec.label, examined: m.examined });
    }
    const chunks: Measured[] = await town.importVillage(0);
    out.push({ label: 'families.import', examined: chunks.reduce((n, m) => n + m.examined, 0) });
    return out;
  } finally {
    await backend.stop();
  }
}

describe('daily actions at a town five times larger', () => {
  let small: Examined[] = [];
  let large: Examined[] = [];

  beforeAll(async () => {
    small = await examineTown(1);
    large = await examineTown(5);
  }, 180_000);

  it('measures every daily action in both towns', () => {
    expect(large.map((r) => r.label)).toEqual(small.map((r) => r.label));
    expect(small.map((r) => r.label)).toEqual(
      expect.arrayContaining(['home.get', 'ranking.list 镇·本年', 'counter.redeem (1行)', 'families.import']),
    );
    // Each action reads something: a count of zero would mean the emulator stopped counting.
    for (const r of small)
      expect({ label: r.label, reads: r.examined > 0 }).toEqual({ label: r.label, reads: true });
  });

  it('reads no more than a few documents more in the larger town, for each action', () => {
    const grown = large
      .map((r, i) => ({ label: r.label, small: small[i].examined, large: r.examined }))
      .filter((r) => r.large > r.small + SLACK);
    expect(grown).toEqual([]);
  });
});
