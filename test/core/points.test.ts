import {
  formatPoints,
  formatSignedPoints,
  isRuleScore,
  parsePoints,
  sumTenths,
} from '../../miniprogram/core/points';

describe('points in tenths', () => {
  it('formats tenths exactly, without float drift', () => {
    expect(formatPoints(5)).toBe('0.5');
    expect(formatPoints(10)).toBe('1');
    expect(formatPoints(-25)).toBe('-2.5');
    expect(formatPoints(0)).toBe('0');
    expect(formatPoints(123456789)).toBe('12345678.9');
    expect(formatSignedPoints(5)).toBe('+0.5');
    expect(formatSignedPoints(-20)).toBe('-2');
    expect(formatSignedPoints(0)).toBe('0');
  });

  it('adds ten halves to exactly five points (a float sum would not be exact for 0.1 steps)', () => {
    expect(sumTenths(Array(10).fill(5))).toBe(50);
    expect(sumTenths(Array(10).fill(1))).toBe(10);
  });

  it('refuses a float anywhere in a sum', () => {
    expect(() => sumTenths([5, 0.5])).toThrow(TypeError);
    expect(() => formatPoints(0.5)).toThrow(TypeError);
  });

  it('parses what a person types into tenths, and nothing finer', () => {
    expect(parsePoints('0.5')).toBe(5);
    expect(parsePoints(' +1.5 ')).toBe(15);
    expect(parsePoints('-2')).toBe(-20);
    expect(parsePoints('0.25')).toBeNull();
    expect(parsePoints('1e3')).toBeNull();
    expect(parsePoints('')).toBeNull();
    expect(parsePoints('abc')).toBeNull();
  });

  it('accepts rule scores only in non-zero half-point steps within ±100', () => {
    expect(isRuleScore(5)).toBe(true);
    expect(isRuleScore(-20)).toBe(true);
    expect(isRuleScore(1000)).toBe(true);
    expect(isRuleScore(0)).toBe(false);
    expect(isRuleScore(3)).toBe(false);
    expect(isRuleScore(1005)).toBe(false);
    expect(isRuleScore(0.5)).toBe(false);
    expect(isRuleScore('5')).toBe(false);
  });
});
