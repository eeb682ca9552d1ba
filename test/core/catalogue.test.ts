import { DEFAULT_CATALOGUE, describeCap, groupCatalogue } from '../../miniprogram/core/catalogue';
import { isRuleScore } from '../../miniprogram/core/points';

describe('福禄镇 default catalogue', () => {
  const basic = DEFAULT_CATALOGUE.filter((r) => r.category === 'basic');
  const contribution = DEFAULT_CATALOGUE.filter((r) => r.category === 'contribution');

  it('has the article’s shape: basic 3 aspects × 9 rules, contribution 6 aspects × 10 rules', () => {
    expect(basic).toHaveLength(9);
    expect(new Set(basic.map((r) => r.aspect))).toEqual(new Set(['爱国爱党', '遵纪守法', '道德文明']));
    expect(contribution).toHaveLength(10);
    expect(new Set(contribution.map((r) => r.aspect)).size).toBe(6);
    for (const aspect of ['公益活动', '共建共治', '模范表彰', '人才培养']) {
      expect(contribution.some((r) => r.aspect === aspect)).toBe(true);
    }
  });

  it('carries the four scores the article gives', () => {
    const score = (title: string) => DEFAULT_CATALOGUE.find((r) => r.title.includes(title))?.points;
    expect(score('组织生活')).toBe(5);
    expect(score('志愿活动')).toBe(10);
    expect(score('建言献策被采纳')).toBe(10);
    expect(score('本科以上学历大学生')).toBe(10);
  });

  it('has unique codes and valid half-point scores', () => {
    expect(new Set(DEFAULT_CATALOGUE.map((r) => r.code)).size).toBe(DEFAULT_CATALOGUE.length);
    for (const rule of DEFAULT_CATALOGUE) expect(isRuleScore(rule.points)).toBe(true);
  });

  it('groups basic before contribution, aspects in catalogue order', () => {
    const groups = groupCatalogue(DEFAULT_CATALOGUE);
    expect(groups.map((g) => g.label)).toEqual(['基础类积分', '贡献类积分']);
    expect(groups[0].aspects.map((a) => a.aspect)).toEqual(['爱国爱党', '遵纪守法', '道德文明']);
    expect(groups[0].aspects[0].rules).toHaveLength(3);
    expect(
      groupCatalogue(DEFAULT_CATALOGUE.filter((r) => r.category === 'contribution')).map((g) => g.category),
    ).toEqual(['contribution']);
    expect(groupCatalogue([])).toEqual([]);
  });

  it('describes caps in Chinese', () => {
    expect(describeCap(null)).toBe('不限次数');
    expect(describeCap({ count: 1, per: 'month', scope: 'member' })).toBe('每人每月限1次');
    expect(describeCap({ count: 2, per: 'year', scope: 'family' })).toBe('每户每年限2次');
  });
});
