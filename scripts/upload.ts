/**
 * `npm run upload`: builds the npm packages (TDesign) and uploads a version of the mini-program with
 * miniprogram-ci, using the code-upload key the WeChat admin console issues (开发管理 → 开发设置 → 小程序代码上传).
 * `npm run upload -- --preview` makes a preview QR code instead (PNG, `miniprogram-preview.png`).
 * Options: `--version 1.2.0` (default: package.json's), `--desc "…"`, `--config <file>`, `--qr <file.png>`.
 *
 * The appid and key path come from deploy.config.json (`miniprogram.appid`, `miniprogram.privateKeyPath`) or
 * `WX_APPID` / `WX_PRIVATE_KEY_PATH`. Without them it prints what to do and exits 2, offline.
 */
import { machineNow } from './lib/clock';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG_PATH, loadDeployConfig, REPO_ROOT, type DeployConfig } from './deploy/config';
import { runAsProgram } from './lib/cli';

/** Appids that are placeholders, never a real mini-program. */
export const PLACEHOLDER_APPIDS = new Set(['touristappid', 'wx0000000000000000']);

export interface UploadArgs {
  preview: boolean;
  version: string;
  desc: string;
  configPath: string;
  qrPath: string;
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

export function parseUploadArgs(argv: string[]): UploadArgs {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    preview: argv.includes('--preview'),
    version: option(argv, 'version') ?? pkg.version,
    desc: option(argv, 'desc') ?? `攒积分 ${machineNow().toISOString().slice(0, 10)}`,
    configPath: path.resolve(option(argv, 'config') ?? DEFAULT_CONFIG_PATH),
    qrPath: path.resolve(option(argv, 'qr') ?? path.join(REPO_ROOT, 'miniprogram-preview.png')),
  };
}

/** What is missing for an upload, with guidance in Chinese and English; empty when it can go ahead. */
export function uploadProblems(config: DeployConfig): string[] {
  const problems: string[] = [];
  const { appid, privateKeyPath } = config.miniprogram;
  if (!appid || PLACEHOLDER_APPIDS.has(appid)) {
    problems.push(
      [
        '缺少小程序 AppID：在微信公众平台（mp.weixin.qq.com）→ 开发管理 → 开发设置 中查看，填入 deploy.config.json 的 miniprogram.appid（或设置环境变量 WX_APPID）。',
        'Missing the mini-program appid (miniprogram.appid in deploy.config.json, or WX_APPID): find it at mp.weixin.qq.com → 开发管理 → 开发设置.',
      ].join('\n'),
    );
  } else if (!/^wx[0-9a-f]{16}$/.test(appid)) {
    problems.push(
      `AppID ${appid} 格式不对（应为 wx 加 16 位十六进制）。 The appid ${appid} does not look like wx + 16 hex digits.`,
    );
  }
  if (!privateKeyPath) {
    problems.push(
      [
        '缺少代码上传密钥：在 开发管理 → 开发设置 → 小程序代码上传 中生成并下载密钥（private.<appid>.key），放在本目录（不会提交到 git），把路径填入 miniprogram.privateKeyPath（或 WX_PRIVATE_KEY_PATH）；如开启了 IP 白名单，请加入本机出口 IP。',
        'Missing the code-upload key: generate and download it at 开发管理 → 开发设置 → 小程序代码上传 (private.<appid>.key), keep it here (git-ignored) and set miniprogram.privateKeyPath (or WX_PRIVATE_KEY_PATH); add this machine to the IP whitelist if one is on.',
      ].join('\n'),
    );
  } else if (!fs.existsSync(privateKeyPath)) {
    problems.push(
      `找不到代码上传密钥文件 ${privateKeyPath}。 The code-upload key file ${privateKeyPath} does not exist.`,
    );
  }
  return problems;
}

export async function main(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const args = parseUploadArgs(argv);
  const config = loadDeployConfig(args.configPath);
  const problems = uploadProblems(config);
  if (problems.length > 0) {
    console.error(`无法上传小程序 / Cannot upload the mini-program (settings: ${config.source}):`);
    for (const p of problems) console.error(`- ${p}`);
    return 2;
  }
  const localConfig = fs.readFileSync(
    path.join(REPO_ROOT, 'miniprogram', 'services', 'local.config.ts'),
    'utf8',
  );
  if (/mode:\s*'local'/.test(localConfig)) {
    console.error(
      '小程序当前指向本地模拟器，请先运行 npm run mp:cloud。 The mini-program points at the local emulator: run npm run mp:cloud first.',
    );
    return 2;
  }
  const { buildNpm } = await import('./build-npm');
  await buildNpm();
  log('npm packages built (miniprogram_npm)');
  const ci = await import('miniprogram-ci');
  const project = new ci.Project({
    appid: config.miniprogram.appid,
    type: 'miniProgram',
    projectPath: REPO_ROOT,
    privateKeyPath: config.miniprogram.privateKeyPath,
    ignores: ['node_modules/**/*', 'build/**/*', 'test/**/*', '.data/**/*', 'emulator/**/*', 'scripts/**/*'],
  });
  const common = {
    project,
    version: args.version,
    desc: args.desc,
    robot: config.miniprogram.robot,
    setting: { useProjectConfig: true },
    onProgressUpdate: () => undefined,
  };
  if (args.preview) {
    await ci.preview({ ...common, qrcodeFormat: 'image', qrcodeOutputDest: args.qrPath });
    log(`预览二维码已生成 / preview QR code written: ${path.relative(process.cwd(), args.qrPath)}`);
  } else {
    const result = await ci.upload(common);
    log(`已上传版本 ${args.version}（机器人 ${config.miniprogram.robot}）/ uploaded version ${args.version}`);
    for (const sub of result.subPackageInfo ?? []) log(`  ${sub.name}: ${(sub.size / 1024).toFixed(1)} KB`);
    log(
      '在小程序后台 → 版本管理 中把该开发版本提交审核。 Submit it for review at 版本管理 in the admin console.',
    );
  }
  return 0;
}

runAsProgram(module, main, '上传失败 / Upload failed:');
