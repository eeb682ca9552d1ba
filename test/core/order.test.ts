/** Ordering a register as people read it: groups by their number, household numbers as numbers. */
import {
  chineseNumeral,
  compareGroupNames,
  compareHouseholdNumbers,
  groupNumber,
} from '../../miniprogram/core/order';

it('reads Chinese numerals', () => {
  expect(
    ['一', '二', '十', '十一', '二十', '二十三', '九十九', '一百零五', '两'].map(chineseNumeral),
  ).toEqual([1, 2, 10, 11, 20, 23, 99, 105, 2]);
  expect(chineseNumeral('组')).toBeNull();
});

it('finds the number leading a group name', () => {
  expect(['一组', '第三村民小组', '12组', '十一组', '河东组'].map(groupNumber)).toEqual([1, 3, 12, 11, null]);
});

it('orders groups 一组, 二组, 三组 … 十组, 十一组, then names without a number', () => {
  const names = ['三组', '十一组', '河东组', '二组', '十组', '一组'];
  expect([...names].sort(compareGroupNames)).toEqual(['一组', '二组', '三组', '十组', '十一组', '河东组']);
});

it('orders household numbers as numbers', () => {
  const numbers = ['10', '2', '1', '11', '12-10', '12-2', 'A3'];
  expect([...numbers].sort(compareHouseholdNumbers)).toEqual(['1', '2', '10', '11', '12-2', '12-10', 'A3']);
});
