/**
 * `npm run setup-town -- --local`: the first setup of a town through the functions' own actions, against the
 * local emulator's gateway (X-WX-OPENID), from a town file with an .xlsx and a .csv register. Re-running changes
 * nothing twice; a cadre without an openid gets an invite code; an unknown admin is refused.
 */
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main, type SetupFile } from '../../scripts/setup-town';
import { ADMIN, BANZHU, data, startBackend, type Backend } from '../support/backend';

let backend: Backend;
let dir: string;
let townFile: string;

const HEADER = ['户号', '村民小组', '姓名', '与户主关系', '是否党员', '住址'];

beforeAll(async () => {
  backend = await startBackend();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-setup-town-'));
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('户籍');
  for (const row of [
    HEADER,
    ['1', '一组', '何雄梅', '户主', '否', '斑竹村一组1号'],
    ['1', '一组', '何小明', '子女', '否', ''],
    ['2', '二组', '罗亚倩', '户主', '是', '斑竹村二组2号'],
    ['3', '二组', '万有志', '户主', '否', ''],
  ])
    sheet.addRow(row);
  await workbook.xlsx.writeFile(path.join(dir, 'banzhu.xlsx'));
  fs.writeFileSync(
    path.join(dir, 'laifeng.csv'),
    `${HEADER.join(',')}\n1,一组,张三,户主,否,\n2,一组,李四,户主,否,\n`,
  );
  const spec: SetupFile = {
    name: '福禄镇',
    adminOpenid: ADMIN,
    villages: [
      {
        ...BANZHU,
        register: 'banzhu.xlsx',
        people: [
          { name: '罗亚倩', roles: ['villageCadre'], openid: 'o-luo' },
          { name: '万有志', roles: ['supervisor'] },
        ],
      },
      { id: 'laifeng', name: '来凤村', groups: ['一组'], register: 'laifeng.csv', people: [] },
    ],
  };
  townFile = path.join(dir, 'town.json');
  fs.writeFileSync(townFile, JSON.stringify(spec));
});

afterAll(async () => {
  await backend.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = async (args: string[]) => {
  const lines: string[] = [];
  const code = await main(args, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
};

describe('setup-town --local', () => {
  it('sets up the town, imports both registers and names the first cadres', async () => {
    const { code, out } = await run(['--file', townFile, '--local', '--url', backend.emu.url]);

    expect(code).toBe(0);
    expect(out).toContain('斑竹村: 导入 3 户、4 人');
    expect(out).toContain('来凤村: 导入 2 户、2 人');
    expect(out).toMatch(/斑竹村 万有志: 邀请码 \S+/);
    const villages = data(await backend.call('accounts', 'villages.list', {}, ADMIN)).villages;
    expect(villages.map((v) => [v.id, v.name, v.groups.length])).toEqual([
      ['banzhu', '斑竹村', 2],
      ['laifeng', '来凤村', 1],
    ]);
    // 罗亚倩 bound her WeChat and is a village cadre: she now sees her village's register.
    const me = data(await backend.call('accounts', 'session.me', {}, 'o-luo'));
    expect(me.roles).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'villageCadre', scope: expect.objectContaining({ id: 'banzhu' }) }),
      ]),
    );
    const families = data(
      await backend.call('accounts', 'families.list', { villageId: 'banzhu', offset: 0 }, 'o-luo'),
    );
    expect(families.families).toHaveLength(3);
  });

  it('is safe to run again: nothing imported twice', async () => {
    // A first run (the test above's, or this one's when it runs alone), then the run again.
    expect((await run(['--file', townFile, '--local', '--url', backend.emu.url])).code).toBe(0);
    const { code, out } = await run(['--file', townFile, '--local', '--url', backend.emu.url]);

    expect(code).toBe(0);
    expect(out).toContain('斑竹村: 已有户籍，跳过导入');
    const families = data(
      await backend.call('accounts', 'families.list', { villageId: 'laifeng', offset: 0 }, ADMIN),
    );
    expect(families.families).toHaveLength(2);
  });

  it('refuses an admin who is not in TOWN_ADMINS', async () => {
    const spec = JSON.parse(fs.readFileSync(townFile, 'utf8')) as SetupFile;
    const other = path.join(dir, 'other.json');
    fs.writeFileSync(other, JSON.stringify({ ...spec, adminOpenid: 'o-nobody' }));

    await expect(run(['--file', other, '--local', '--url', backend.emu.url])).rejects.toThrow(
      /o-nobody 不是镇管理员.*TOWN_ADMINS/,
    );
  });
});
