/**
 * `npm run setup-town` against a CloudBase environment: @cloudbase/node-sdk calls the deployed functions with no
 * WeChat identity and the accounts function's ADMIN_API_KEY. Here the "cloud" is the local emulator, which speaks
 * CloudBase's own protocol, so the real SDK path runs end to end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminEnv } from '../../emulator';
import { main, type SetupFile } from '../../scripts/setup-town';
import { data, startBackend, type Backend } from '../support/backend';

const KEY = 'test-admin-api-key-setup-town-0123456789';
let backend: Backend;
let dir: string;

function writeConfig(adminKey: string | undefined): string {
  const file = path.join(dir, `deploy.config.${adminKey ? 'key' : 'nokey'}.json`);
  const functionEnv: Record<string, string> = { TOWN_ADMINS: 'o-nobody', TOWN_ID: 'fulu' };
  if (adminKey) functionEnv.ADMIN_API_KEY = adminKey;
  fs.writeFileSync(
    file,
    JSON.stringify({ envId: backend.emu.envId, secretId: 'test-id', secretKey: 'test-key', functionEnv }),
  );
  return file;
}

beforeAll(async () => {
  backend = await startBackend({ env: { ADMIN_API_KEY: KEY } });
  adminEnv(backend.emu);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-setup-cloud-'));
  fs.writeFileSync(
    path.join(dir, 'banzhu.csv'),
    '户号,村民小组,姓名,与户主关系,是否党员,住址\n1,一组,何雄梅,户主,否,\n2,一组,罗亚倩,户主,是,\n',
  );
  const spec: SetupFile = {
    name: '福禄镇',
    adminOpenid: 'o-unknown-to-the-cloud',
    villages: [
      {
        id: 'banzhu',
        name: '斑竹村',
        groups: ['一组'],
        register: 'banzhu.csv',
        people: [{ name: '罗亚倩', roles: ['villageCadre'] }],
      },
    ],
  };
  fs.writeFileSync(path.join(dir, 'town.json'), JSON.stringify(spec));
});

afterAll(() => backend.stop());

it('stops with guidance when the cloud does not accept this machine’s key', async () => {
  const errors: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((line: string) => errors.push(line));
  const code = await main(
    ['--file', path.join(dir, 'town.json'), '--config', writeConfig('wrong-key-wrong-key-wrong-key-0000')],
    () => undefined,
  );
  spy.mockRestore();
  expect(code).toBe(3);
  expect(errors.join('\n')).toContain('ADMIN_API_KEY');
});

it('sets up the town through the SDK with the admin key, and hands out the cadre’s invite code', async () => {
  const lines: string[] = [];
  const code = await main(['--file', path.join(dir, 'town.json'), '--config', writeConfig(KEY)], (line) =>
    lines.push(line),
  );
  expect(code).toBe(0);
  expect(lines.join('\n')).toContain('罗亚倩');
  const list = data(await backend.call('accounts', 'families.list', { villageId: 'banzhu' }, 'o-town-admin'));
  expect(list.families.map((f) => f.headName)).toEqual(['何雄梅', '罗亚倩']);
});
