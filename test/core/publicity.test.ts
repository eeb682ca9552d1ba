/** What the public may see: the one decision behind every public surface (core/publicity). */
import { familyDisplayName, householdLabel, stricterDisplay } from '../../miniprogram/core/names';
import { boardIsPublic, publicName } from '../../miniprogram/core/publicity';

const at = new Date('2026-12-01T00:00:00Z');
const later = new Date('2027-02-20T00:00:00Z');
const member = { name: '傅红', asFamily: false, householdNumber: '012' };
const family = { name: '万有志', asFamily: true, householdNumber: '003' };
const consent = { redBoardConsent: { at } };

describe('publicName', () => {
  it('follows the village’s three levels for a family’s row', () => {
    expect(publicName('full', { kind: 'family' }, family, at)).toBe('万有志家');
    expect(publicName('masked', { kind: 'family' }, family, at)).toBe('万**家');
    expect(publicName('household', { kind: 'family' }, family, at)).toBe('第003户');
  });

  it('shows a full name on the red board only where the village shows full names and the family consented', () => {
    expect(publicName('full', { kind: 'redBoard' }, { ...member, ...consent }, at)).toBe('傅红');
    expect(publicName('full', { kind: 'redBoard' }, member, at)).toBe('傅*');
    expect(publicName('full', { kind: 'redBoard' }, { ...member, redBoardConsent: null }, at)).toBe('傅*');
    expect(publicName('masked', { kind: 'redBoard' }, { ...member, ...consent }, at)).toBe('傅*');
    expect(publicName('household', { kind: 'redBoard' }, { ...member, ...consent }, at)).toBe('第012户');
  });

  it('masks the black board at most, and takes an entry off once its suspension has ended', () => {
    const black = { kind: 'blackBoard' as const, suspensionEndsAt: later };
    expect(publicName('full', black, family, at)).toBe('万**家');
    expect(publicName('household', black, family, at)).toBe('第003户');
    expect(publicName('masked', black, family, later)).toBeNull();
    expect(boardIsPublic({ board: 'black', suspensionEndsAt: later }, new Date(later.getTime() - 1))).toBe(
      true,
    );
    expect(boardIsPublic({ board: 'black', suspensionEndsAt: later }, later)).toBe(false);
    expect(boardIsPublic({ board: 'red', suspensionEndsAt: null }, later)).toBe(true);
  });
});

it('orders the levels from the most to the least revealing', () => {
  expect(stricterDisplay('full', 'masked')).toBe('masked');
  expect(stricterDisplay('household', 'masked')).toBe('household');
  expect(householdLabel(' 12 ')).toBe('第12户');
  expect(familyDisplayName('张三', 'full')).toBe('张三家');
});
