import { parseCsv, readHouseholds } from '../../miniprogram/core/households';

const HEADER = '户号,村民小组,姓名,与户主关系,是否党员,住址';

/** The register of a village with groups 一组 and 二组: these rows under the header, read as a CSV file. */
const readRegister = (...rows: string[]) =>
  readHouseholds(parseCsv([HEADER, ...rows].join('\n')), ['一组', '二组']);

describe('household spreadsheet', () => {
  it('parses quoted CSV with a BOM and CRLF', () => {
    expect(parseCsv('\uFEFFa,"b,c"\r\n"x ""y""",z\r\n\r\n')).toEqual([
      ['a', 'b,c'],
      ['x "y"', 'z'],
    ]);
  });

  it('groups members into households by number', () => {
    const { households, problems } = readRegister(
      '1,一组,何雄梅,户主,否,斑竹村1号',
      '1,一组,何小明,子女,否,',
      '2,二组,傅红,户主,是,斑竹村8号',
    );
    expect(problems).toEqual([]);
    expect(households).toHaveLength(2);
    expect(households[0]).toMatchObject({
      number: '1',
      groupName: '一组',
      headName: '何雄梅',
      address: '斑竹村1号',
    });
    expect(households[0].members.map((m) => m.name)).toEqual(['何雄梅', '何小明']);
    expect(households[1].members[0].partyMember).toBe(true);
  });

  it('reports every bad row by number and imports nothing', () => {
    const { households, problems } = readRegister(
      '1,一组,何雄梅,户主,否,',
      ',一组,,子女,也许,',
      '2,三组,傅红,户主,否,',
      '3,一组,万有志,子女,否,',
    );
    expect(households).toEqual([]);
    expect(problems).toEqual([
      { row: 3, message: '户号为空；姓名为空；是否党员应填“是”或“否”，而不是“也许”' },
      { row: 4, message: '村民小组“三组”不存在' },
      { row: 1, message: '户号3没有户主' },
    ]);
  });

  it('refuses a sheet without the expected header', () => {
    expect(readHouseholds([['姓名']], []).problems[0].message).toContain('表头缺少列');
  });
});
