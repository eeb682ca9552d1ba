/**
 * `npm run deploy`: builds the functions, reads what the CloudBase environment has, plans the differences
 * (collections, indexes, collection rules, functions with their settings, the storage rule) and applies them
 * with @cloudbase/manager-node. Re-running is safe: only differences are applied.
 *
 * `npm run deploy -- --dry-run`: no network. Plans against an environment where nothing exists yet and
 * prints every step. `--config <file>` reads another settings file (default deploy.config.json);
 * `--skip-build` uses the functions already built; `--functions-dir <dir>` builds/reads them elsewhere.
 */
import path from 'node:path';
import { buildFunctions } from './build-functions';
import {
  loadDeployConfig,
  missingDeployKeys,
  missingKeysMessage,
  withPlaceholders,
  DEFAULT_CONFIG_PATH,
  type DeployConfig,
} from './deploy/config';
import { BUILT_FUNCTIONS_DIR, desiredState } from './deploy/desired';
import { describeStep, NOTHING, planDeploy, type Plan } from './deploy/plan';
import { runAsProgram } from './lib/cli';

export interface DeployArgs {
  dryRun: boolean;
  configPath: string;
  skipBuild: boolean;
  /** Where the built functions are (default build/cloudfunctions; tests build elsewhere). */
  functionsDir: string;
}

export function parseArgs(argv: string[]): DeployArgs {
  const at = argv.indexOf('--config');
  const fnAt = argv.indexOf('--functions-dir');
  return {
    dryRun: argv.includes('--dry-run'),
    configPath: at >= 0 && argv[at + 1] ? path.resolve(argv[at + 1]) : DEFAULT_CONFIG_PATH,
    skipBuild: argv.includes('--skip-build'),
    functionsDir: fnAt >= 0 && argv[fnAt + 1] ? path.resolve(argv[fnAt + 1]) : BUILT_FUNCTIONS_DIR,
  };
}

export function printPlan(plan: Plan, log: (line: string) => void): void {
  if (plan.steps.length === 0) log('Nothing to change: the environment matches the repository. 无需变更。');
  for (const [i, step] of plan.steps.entries()) log(`${String(i + 1).padStart(3)}. ${describeStep(step)}`);
  for (const note of plan.notes) log(`note: ${note}`);
}

/** The dry run: the plan against an empty environment, without any network. Returns the plan. */
export function dryRun(
  config: DeployConfig,
  log: (line: string) => void,
  functionsDir = BUILT_FUNCTIONS_DIR,
): Plan {
  const desired = desiredState(withPlaceholders(config), functionsDir);
  const plan = planDeploy(desired, NOTHING);
  log(`Dry run (no network): planning against an environment where nothing exists yet.`);
  log(`演练（不联网）：假设云开发环境为空，列出全部步骤。`);
  log(`Settings: ${config.source}; envId ${config.envId || '(not set)'}; runtime ${config.runtime}`);
  log(
    `${desired.schema.collections.length} collections, ${desired.schema.collections.reduce((n, c) => n + c.indexes.length, 0)} indexes, ${desired.functions.length} functions, ${plan.steps.length} steps:`,
  );
  printPlan(plan, log);
  const missing = missingDeployKeys(config);
  if (missing.length > 0) {
    log('');
    log(`A real deploy would stop here / 正式部署会因缺少以下配置而停止: ${missing.join(', ')}`);
  }
  return plan;
}

export async function main(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const args = parseArgs(argv);
  const config = loadDeployConfig(args.configPath);
  if (!args.skipBuild) {
    const built = await buildFunctions(args.functionsDir);
    log(`built ${built.map((b) => b.name).join(', ')}`);
  }
  if (args.dryRun) {
    dryRun(config, log, args.functionsDir);
    return 0;
  }
  const missing = missingDeployKeys(config);
  if (missing.length > 0) {
    console.error(missingKeysMessage(missing, config.source));
    return 2;
  }
  const { connect, readCurrentState, applyPlan } = await import('./deploy/cloud');
  const app = connect(config);
  const desired = desiredState(config, args.functionsDir);
  log(`Reading environment ${config.envId} … 读取云开发环境现状`);
  const current = await readCurrentState(app, desired);
  const plan = planDeploy(desired, current);
  printPlan(plan, log);
  if (plan.steps.length === 0) return 0;
  await applyPlan(app, plan.steps, log);
  log(`Done: ${plan.steps.length} steps applied. 部署完成。`);
  if (desired.screen) {
    const { screenPageUrl } = await import('./deploy/cloud');
    const url = await screenPageUrl(app, desired.screen);
    if (url && config.functionEnv.SCREEN_URL !== url)
      log(`大屏网页 / big screen page: ${url} — set functionEnv.SCREEN_URL to it and deploy again.`);
  }
  return 0;
}

runAsProgram(module, main, '部署失败 / Deploy failed:');
