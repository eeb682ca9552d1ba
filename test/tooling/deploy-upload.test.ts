/**
 * `npm run upload`: without an appid or the code-upload key it explains, in Chinese and English, where to get
 * them, and exits 2 before touching the network.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDeployConfig } from '../../scripts/deploy/config';
import { uploadProblems } from '../../scripts/upload';

const ROOT = path.join(__dirname, '..', '..');
const NO_CONFIG = path.join(os.tmpdir(), 'zjf-no-such-upload.config.json');

describe('upload guidance', () => {
  it('names the missing appid and key, and where the admin console issues them', () => {
    const problems = uploadProblems(loadDeployConfig(NO_CONFIG, {}));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('缺少小程序 AppID');
    expect(problems[0]).toContain('Missing the mini-program appid');
    expect(problems[1]).toContain('小程序代码上传');
    expect(problems[1]).toContain('Missing the code-upload key');
  });

  it('treats the placeholder appid as missing and a key path to nothing as missing', () => {
    const problems = uploadProblems(
      loadDeployConfig(NO_CONFIG, {
        WX_APPID: 'touristappid',
        WX_PRIVATE_KEY_PATH: '/nowhere/private.wx.key',
      }),
    );
    expect(problems[0]).toContain('缺少小程序 AppID');
    expect(problems[1]).toContain('找不到代码上传密钥文件 /nowhere/private.wx.key');
  });

  it('has nothing to say when the appid and key are there', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-upload-'));
    const key = path.join(dir, 'private.wx0123456789abcdef.key');
    fs.writeFileSync(key, 'not a real key');
    expect(
      uploadProblems(
        loadDeployConfig(NO_CONFIG, { WX_APPID: 'wx0123456789abcdef', WX_PRIVATE_KEY_PATH: key }),
      ),
    ).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the CLI (and --preview) stop with the guidance and exit 2', () => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('WX_')) env[k] = v;
    for (const extra of [[], ['--preview']]) {
      const res = spawnSync(
        path.join(ROOT, 'node_modules', '.bin', 'tsx'),
        [path.join(ROOT, 'scripts', 'upload.ts'), '--config', NO_CONFIG, ...extra],
        { cwd: ROOT, env, encoding: 'utf8' },
      );
      expect(res.status).toBe(2);
      expect(res.stderr).toContain('无法上传小程序 / Cannot upload the mini-program');
      expect(res.stderr).toContain('miniprogram.privateKeyPath');
    }
  });
});
