import ExcelJS from 'exceljs';
import {
  ADMIN,
  data,
  errorOf,
  registerCsv,
  emptyBackendForDescribe,
  townForDescribe,
} from '../support/backend';
import { setUpEmptyTown, uploadFile } from '../support/town-actions';

describe('accounts on the emulator', () => {
  const b = townForDescribe();

  it('shows a group leader the households of the group, for 月度采集, and no others', async () => {
    const banzhu = b.town.banzhu;
    const fuFamily = banzhu.members['傅红'].familyId;
    const fu = data(await b.call('accounts', 'families.get', { familyId: fuFamily }, 'o-fu')).family;
    const own = fu.groupId;
    const other = banzhu.groups.find((g) => g.id !== own)?.id as string;
    const listed = data(
      await b.call('accounts', 'families.list', { villageId: 'banzhu', groupId: own, offset: 0 }, 'o-fu'),
    ).families;
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((f) => f.groupId === own)).toBe(true);
    const neighbour = listed.find((f) => f.id !== fuFamily) ?? listed[0];
    expect(data(await b.call('accounts', 'families.get', { familyId: neighbour.id }, 'o-fu')).family.id).toBe(
      neighbour.id,
    );
    // Not the whole village, not another group, nor a family of another group.
    const forbidden = (res: { ok: boolean }) => (res.ok ? 'ok' : errorOf(res as never).code);
    expect(
      forbidden(await b.call('accounts', 'families.list', { villageId: 'banzhu', offset: 0 }, 'o-fu')),
    ).toBe('FORBIDDEN');
    expect(
      forbidden(
        await b.call('accounts', 'families.list', { villageId: 'banzhu', groupId: other, offset: 0 }, 'o-fu'),
      ),
    ).toBe('FORBIDDEN');
    const elsewhere = data(
      await b.call('accounts', 'families.list', { villageId: 'banzhu', groupId: other, offset: 0 }, 'o-luo'),
    ).families[0];
    expect(forbidden(await b.call('accounts', 'families.get', { familyId: elsewhere.id }, 'o-fu'))).toBe(
      'FORBIDDEN',
    );
  });

  it('sets up the town with its villages, groups and the default catalogue', async () => {
    const { villages, town } = data(await b.call('accounts', 'villages.list', {}, 'o-he'));
    expect(town?.name).toBe('福禄镇');
    expect(villages.map((v) => v.name)).toEqual(['斑竹村', '来凤村']);
    expect(villages[0].groups).toHaveLength(2);
    const { rules } = data(await b.call('points', 'rules.list', {}, 'o-he'));
    expect(rules).toHaveLength(19);
  });

  it('links a villager to their member and family, and reports roles', async () => {
    const me = data(await b.call('accounts', 'session.me', {}, 'o-fu'));
    expect(me.familyId).toBe(b.town.banzhu.members['傅红'].familyId);
    expect(me.roles.map((r) => r.label).sort()).toEqual(['村民', '村民小组长'].sort());
  });

  it('refuses a used invite code, an unknown one, and a second WeChat for the same member', async () => {
    const memberId = b.town.banzhu.members['傅大爷']?.id ?? b.town.banzhu.families.length.toString();
    const family = data(
      await b.call('accounts', 'families.get', { familyId: b.town.banzhu.members['傅红'].familyId }, ADMIN),
    );
    const grandpa = family.members.find((m) => m.name === '傅大爷')?.id ?? memberId;
    const { code } = data(await b.call('accounts', 'invites.create', { memberId: grandpa }, 'o-luo'));
    data(await b.call('accounts', 'invites.redeem', { code }, 'o-grandpa'));
    expect(errorOf(await b.call('accounts', 'invites.redeem', { code }, 'o-stranger')).details).toMatchObject(
      {
        reason: 'INVITE_USED',
      },
    );
    expect(errorOf(await b.call('accounts', 'invites.redeem', { code: 'ZZZZZZZZ' }, 'o-stranger')).code).toBe(
      'NOT_FOUND',
    );
    expect(errorOf(await b.call('accounts', 'invites.create', { memberId: grandpa }, 'o-luo')).code).toBe(
      'CONFLICT',
    );
  });

  it('keeps roles scoped: a cadre of one village cannot issue invites in another; a villager cannot grant roles', async () => {
    const other = b.town.laifeng.members['李四'].id;
    expect(errorOf(await b.call('accounts', 'invites.create', { memberId: other }, 'o-luo')).code).toBe(
      'FORBIDDEN',
    );
    const he = b.town.banzhu.members['何雄梅'].id;
    expect(
      errorOf(await b.call('accounts', 'roles.grant', { memberId: he, role: 'supervisor' }, 'o-he')).code,
    ).toBe('FORBIDDEN');
    expect(
      errorOf(await b.call('accounts', 'roles.grant', { memberId: he, role: 'villageCadre' }, 'o-luo')).code,
    ).toBe('FORBIDDEN');
  });

  it('lets a villager see only their own family', async () => {
    const other = b.town.banzhu.members['万有志'].familyId;
    expect(errorOf(await b.call('accounts', 'families.get', { familyId: other }, 'o-he')).code).toBe(
      'FORBIDDEN',
    );
    const own = data(await b.call('accounts', 'families.get', {}, 'o-he'));
    expect(own.members.find((m) => m.isMe)?.name).toBe('何雄梅');
  });
});

describe('household import', () => {
  const b = emptyBackendForDescribe({
    prepare: (backend) => setUpEmptyTown(backend, [{ id: 'banzhu', name: '斑竹村', groups: ['一组'] }]),
  });

  it('imports nothing when any row is wrong, and says which rows', async () => {
    const csv = registerCsv('1,一组,甲,户主,否,', '2,九组,乙,户主,否,');
    const error = errorOf(await b.call('accounts', 'families.import', { villageId: 'banzhu', csv }, ADMIN));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details).toEqual({ issues: [{ path: '第3行', message: '村民小组“九组”不存在' }] });
    const list = data(await b.call('accounts', 'families.list', { villageId: 'banzhu' }, ADMIN));
    expect(list.families).toEqual([]);
  });

  it('imports a valid sheet once and refuses importing the same households again', async () => {
    const csv = registerCsv('1,一组,甲,户主,否,', '1,一组,甲妻,配偶,是,');
    expect(
      data(await b.call('accounts', 'families.import', { villageId: 'banzhu', csv }, ADMIN)),
    ).toMatchObject({
      families: 1,
      members: 2,
      finished: true,
    });
    const again = errorOf(await b.call('accounts', 'families.import', { villageId: 'banzhu', csv }, ADMIN));
    expect(again.details).toEqual({ issues: [{ path: '第1行', message: '户号1已导入，不能重复导入' }] });
  });

  it('imports an Excel register the cadre uploaded, and refuses a file someone else uploaded', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('户籍');
    sheet.addRows([
      ['户号', '村民小组', '姓名', '与户主关系', '是否党员', '住址'],
      ['7', '一组', '丙', '户主', '是', '斑竹村一组7号'],
      [7, '一组', '丙子', '子女', '否', null],
    ]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const upload = (openid: string, cloudPath: string) => uploadFile(b, openid, cloudPath, bytes);
    const foreign = await upload('o-someone', 'imports/o-someone/register.xlsx');
    expect(
      errorOf(await b.call('accounts', 'families.import', { villageId: 'banzhu', fileId: foreign }, ADMIN))
        .code,
    ).toBe('FORBIDDEN');
    const own = await upload(ADMIN, `imports/${ADMIN}/register.xlsx`);
    expect(
      data(await b.call('accounts', 'families.import', { villageId: 'banzhu', fileId: own }, ADMIN)),
    ).toMatchObject({
      families: 1,
      members: 2,
      finished: true,
    });
  });

  it('refuses setup by anyone but a town admin', async () => {
    const error = errorOf(
      await b.call('accounts', 'town.setup', { name: '福禄镇', villages: [] }, 'o-nobody'),
    );
    expect(error.code).toBe('FORBIDDEN');
  });
});
