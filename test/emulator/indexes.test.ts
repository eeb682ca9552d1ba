/**
 * Which queries the emulator answers from a declared index instead of testing every document of the collection
 * (emulator/indexes.ts). An import chunk looks up the members of its 200 families with one `$in`: that must read
 * those families' members, not the town's (a scan of 50,000 members per chunk made a 20,000-family town's import
 * three times slower than a small town's).
 */
import { CollectionIndexes } from '../../emulator/indexes';

const members = () => {
  const ix = new CollectionIndexes([
    { name: 'family', keys: [{ field: 'familyId', direction: 1 }], unique: false },
  ]);
  for (let f = 0; f < 2000; f += 1)
    for (let m = 0; m < 3; m += 1)
      ix.update(`m${f}-${m}`, undefined, { familyId: `f${f}`, name: `成员${m}` });
  return ix;
};

const families = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `f${from + i}`);

describe('index lookups', () => {
  it('answers an $in over a whole import chunk (200 families) from the index: their members only', () => {
    const ids = members().candidates({ familyId: { $in: families(200, 500) } });
    expect(ids).toHaveLength(600);
    expect(new Set(ids?.map((id) => id.split('-')[0]))).toEqual(
      new Set(families(200, 500).map((f) => `m${f.slice(1)}`)),
    );
  });

  it('keeps the members in natural order (the order they were inserted)', () => {
    const ids = members().candidates({ familyId: { $in: ['f7', 'f3'] } });
    expect(ids).toEqual(['m3-0', 'm3-1', 'm3-2', 'm7-0', 'm7-1', 'm7-2']);
  });

  it('leaves a list longer than the index lookup limit to a scan (undefined: the caller tests every document)', () => {
    expect(members().candidates({ familyId: { $in: families(1001) } })).toBeUndefined();
    expect(members().candidates({ familyId: { $in: families(1000) } })).toHaveLength(3000);
  });
});
