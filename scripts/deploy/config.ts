/**
 * The deploy's settings: `deploy.config.json` at the repository root (git-ignored; copy
 * `deploy.config.example.json`), overridden by the environment. Secrets never come from a committed file.
 *
 * Environment: `CLOUDBASE_ENV_ID`, `TENCENTCLOUD_SECRETID`, `TENCENTCLOUD_SECRETKEY` (and
 * `TENCENTCLOUD_SESSIONTOKEN`), `CLOUDBASE_REGION`, `WX_APPID`, `WX_PRIVATE_KEY_PATH`, and every function
 * variable by its own name (`TOWN_ADMINS`, `CARD_TOKEN_SECRET` …).
 */
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_CONFIG_PATH = path.join(REPO_ROOT, 'deploy.config.json');

/** Runtime of every function: the build targets node16, and 18.15 is the newer of CloudBase's Node runtimes. */
export const DEFAULT_RUNTIME = 'Nodejs18.15';
export const DEFAULT_MEMORY_MB = 256;
export const DEFAULT_TIMEOUT_S = 20;

export interface DeployConfig {
  envId: string;
  secretId: string;
  secretKey: string;
  token: string;
  region: string;
  runtime: string;
  memorySize: number;
  /** Variables for the functions, before each function takes the ones it uses. */
  functionEnv: Record<string, string>;
  miniprogram: { appid: string; privateKeyPath: string; robot: number };
  /** Where the settings came from, for messages. */
  source: string;
}

/**
 * The function variables: which function gets which, and whether the deploy refuses to run without it.
 * Non-secret settings go to every function (they share `common/`); secrets only to the function that signs.
 */
export interface VarSpec {
  name: string;
  functions: 'all' | string[];
  required: boolean;
  /** Minimum length (the shop refuses shorter secrets). */
  minLength?: number;
  meaning: string;
}

export const FUNCTION_VARS: VarSpec[] = [
  {
    name: 'TOWN_ADMINS',
    functions: 'all',
    required: true,
    meaning: 'bootstrap town admins (openids, comma-separated)',
  },
  { name: 'TOWN_ID', functions: 'all', required: true, meaning: "the town's id, e.g. fulu" },
  { name: 'TPL_CLAIM_DECIDED', functions: 'all', required: false, meaning: 'template id: 审核结果通知' },
  { name: 'TPL_OBJECTION_DECIDED', functions: 'all', required: false, meaning: 'template id: 异议处理结果' },
  { name: 'TPL_BLACK_BOARD', functions: 'all', required: false, meaning: 'template id: 黑榜通报' },
  {
    name: 'TPL_WISH_UPDATED',
    functions: 'all',
    required: false,
    meaning: 'template id: 心愿进度 (optional)',
  },
  {
    name: 'INVITE_HOURS',
    functions: ['accounts'],
    required: false,
    meaning: 'invite code lifetime in hours (72)',
  },
  {
    name: 'QR_TTL_SECONDS',
    functions: ['shop'],
    required: false,
    meaning: 'counter QR lifetime in seconds (120)',
  },
  {
    name: 'ADMIN_API_KEY',
    functions: ['accounts'],
    required: false,
    minLength: 32,
    meaning: 'key for npm run setup-town against the cloud (≥ 32 characters, random; unset closes that path)',
  },
  {
    name: 'CARD_TOKEN_SECRET',
    functions: ['shop'],
    required: true,
    minLength: 16,
    meaning: 'secret for NFC card tokens (≥ 16 characters, random)',
  },
  {
    name: 'QR_SECRET',
    functions: ['shop'],
    required: true,
    minLength: 16,
    meaning: 'secret for counter QR codes (≥ 16 characters, random)',
  },
  {
    name: 'SCREEN_SECRET',
    functions: ['points', 'screen'],
    required: false,
    minLength: 16,
    meaning: 'secret signing the big screen display links (≥ 16 characters, random; unset: no display links)',
  },
  {
    name: 'SCREEN_URL',
    functions: ['points'],
    required: false,
    meaning:
      "the big screen page's address on static hosting (the deploy prints it), e.g. https://…/screen/index.html",
  },
];

interface ConfigFile {
  envId?: string;
  secretId?: string;
  secretKey?: string;
  region?: string;
  runtime?: string;
  memorySize?: number;
  functionEnv?: Record<string, string>;
  miniprogram?: { appid?: string; privateKeyPath?: string; robot?: number };
}

/** Placeholders of the example file count as missing. */
export function isPlaceholder(value: string | undefined): boolean {
  return !value || /^<.*>$/.test(value.trim()) || value.trim() === '';
}

const pick = (...values: (string | undefined)[]): string =>
  values.find((v) => !isPlaceholder(v))?.trim() ?? '';

export function loadDeployConfig(
  configPath: string = DEFAULT_CONFIG_PATH,
  env: Record<string, string | undefined> = process.env,
): DeployConfig {
  let file: ConfigFile = {};
  const exists = fs.existsSync(configPath);
  if (exists) file = JSON.parse(fs.readFileSync(configPath, 'utf8')) as ConfigFile;
  const functionEnv: Record<string, string> = {};
  for (const spec of FUNCTION_VARS) {
    const value = pick(env[spec.name], file.functionEnv?.[spec.name]);
    if (value) functionEnv[spec.name] = value;
  }
  const privateKeyPath = pick(env.WX_PRIVATE_KEY_PATH, file.miniprogram?.privateKeyPath);
  return {
    envId: pick(env.CLOUDBASE_ENV_ID, file.envId),
    secretId: pick(env.TENCENTCLOUD_SECRETID, file.secretId),
    secretKey: pick(env.TENCENTCLOUD_SECRETKEY, file.secretKey),
    token: pick(env.TENCENTCLOUD_SESSIONTOKEN),
    region: pick(env.CLOUDBASE_REGION, file.region) || 'ap-shanghai',
    runtime: pick(file.runtime) || DEFAULT_RUNTIME,
    memorySize: file.memorySize ?? DEFAULT_MEMORY_MB,
    functionEnv,
    miniprogram: {
      appid: pick(env.WX_APPID, file.miniprogram?.appid),
      privateKeyPath: privateKeyPath ? path.resolve(path.dirname(configPath), privateKeyPath) : '',
      robot: file.miniprogram?.robot ?? 1,
    },
    source: exists ? path.relative(REPO_ROOT, configPath) || configPath : `(no ${path.basename(configPath)})`,
  };
}

/** The keys a real deploy cannot do without, named as in deploy.config.json. */
export function missingDeployKeys(config: DeployConfig): string[] {
  const missing: string[] = [];
  if (!config.envId) missing.push('envId');
  if (!config.secretId) missing.push('secretId');
  if (!config.secretKey) missing.push('secretKey');
  for (const spec of FUNCTION_VARS) {
    const value = config.functionEnv[spec.name];
    if (spec.required && !value) missing.push(`functionEnv.${spec.name}`);
    else if (value && spec.minLength && value.length < spec.minLength)
      missing.push(`functionEnv.${spec.name} (≥ ${spec.minLength} characters)`);
  }
  return missing;
}

export function missingKeysMessage(missing: string[], source: string): string {
  return [
    `部署配置不完整，缺少：${missing.join('、')}（读取自 ${source} 和环境变量）。`,
    '请复制 deploy.config.example.json 为 deploy.config.json 并填写，或设置对应的环境变量（CLOUDBASE_ENV_ID、TENCENTCLOUD_SECRETID、TENCENTCLOUD_SECRETKEY、TOWN_ADMINS …）。',
    `Deploy configuration incomplete, missing: ${missing.join(', ')} (read from ${source} and the environment).`,
    'Copy deploy.config.example.json to deploy.config.json and fill it in, or set the matching environment variables.',
  ].join('\n');
}

/** For the dry run: required function variables that are not set yet appear as `<NAME>` placeholders. */
export function withPlaceholders(config: DeployConfig): DeployConfig {
  const functionEnv = { ...config.functionEnv };
  for (const spec of FUNCTION_VARS)
    if (spec.required && !functionEnv[spec.name]) functionEnv[spec.name] = `<${spec.name}>`;
  return { ...config, functionEnv };
}

/** The variables one function gets. */
export function envFor(fn: string, functionEnv: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of FUNCTION_VARS) {
    if (spec.functions !== 'all' && !spec.functions.includes(fn)) continue;
    const value = functionEnv[spec.name];
    if (value) out[spec.name] = value;
  }
  return out;
}
