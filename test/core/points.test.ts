import * as points from '../../miniprogram/core/points';

describe('points in tenths', () => {
  it('formats tenths exactly, without float drift', () => {
    expect(points.formatPoints(5)).toBe('0.5');
    expect(points.formatPoints(10)).toBe('1');
    expect(points.formatPoints(-25)).toBe('-2.5');
    expect(points.formatPoints(0)).toBe('0');
    expect(points.formatPoints(123456789)).toBe('12345678.9');
    expect(points.formatSignedPoints(5)).toBe('+0.5');
    expect(points.formatSignedPoints(-20)).toBe('-2');
    expect(points.formatSignedPoints(0)).toBe('0');
  });

  it('adds ten halves to exactly five points (a float sum would not be exact for 0.1 steps)', () => {
    expect(points.sumTenths(Array(10).fill(5))).toBe(50);
    expect(points.sumTenths(Array(10).fill(1))).toBe(10);
  });

  it('refuses a float anywhere in a sum', () => {
    expect(() => points.sumTenths([5, 0.5])).toThrow(TypeError);
    expect(() => points.formatPoints(0.5)).toThrow(TypeError);
  });

  it('parses what a person types into tenths, and nothing finer', () => {
    expect(points.parsePoints('0.5')).toBe(5);
    expect(points.parsePoints(' +1.5 ')).toBe(15);
    expect(points.parsePoints('-2')).toBe(-20);
    expect(points.parsePoints('0.25')).toBeNull();
    expect(points.parsePoints('1e3')).toBeNull();
    expect(points.parsePoints('')).toBeNull();
    expect(points.parsePoints('abc')).toBeNull();
  });

  it('accepts rule scores only in non-zero half-point steps within ±100', () => {
    expect(points.isRuleScore(5)).toBe(true);
    expect(points.isRuleScore(-20)).toBe(true);
    expect(points.isRuleScore(1000)).toBe(true);
    expect(points.isRuleScore(0)).toBe(false);
    expect(points.isRuleScore(3)).toBe(false);
    expect(points.isRuleScore(1005)).toBe(false);
    expect(points.isRuleScore(0.5)).toBe(false);
    expect(points.isRuleScore('5')).toBe(false);
  });
});
