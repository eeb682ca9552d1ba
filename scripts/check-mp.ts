/**
 * `npm run check:mp`: builds npm, then checks the mini-program as WeChat would — app.json integrity, WXML (wcc),
 * WXSS (wcsc), types (tsc), the DevTools compile (miniprogram-ci, offline) and package sizes measured on what
 * that compile would upload. Exits non-zero on any problem, naming the file.
 */
import path from 'node:path';
import { buildNpm, repoRoot } from './build-npm';
import type { Problem } from './mp-checks';
import {
  PACKAGE_LIMIT,
  checkAppJson,
  checkPackageSizes,
  checkTypes,
  checkWxml,
  checkTextContent,
  checkWxss,
  collectComponents,
  compileWithCi,
  describeProblem,
  formatKb,
  listPages,
  listSubpackages,
  measurePackages,
} from './mp-checks';

const miniprogramRoot = path.join(repoRoot, 'miniprogram');

function report(title: string, problems: Problem[], detail = ''): Problem[] {
  const status = problems.length === 0 ? 'ok' : `${problems.length} problem(s)`;
  console.log(`check:mp ${title}: ${status}${detail ? ` — ${detail}` : ''}`);
  for (const problem of problems) console.error(`  ✗ ${describeProblem(problem)}`);
  return problems;
}

async function main(): Promise<number> {
  const npm = await buildNpm();
  console.log(`check:mp build:npm: ${npm.miniProgramPackNum} mini-program package(s) built`);

  const problems: Problem[] = [];
  const pages = listPages(miniprogramRoot);
  const graph = collectComponents(miniprogramRoot);
  problems.push(
    ...report(
      'app.json',
      checkAppJson(miniprogramRoot),
      `${pages.length} page(s), ${graph.local.length} local and ${graph.npm.length} library component(s)`,
    ),
  );
  problems.push(...report('wxml (wcc)', checkWxml(miniprogramRoot)));
  problems.push(...report('wxml <text> on one line', checkTextContent(miniprogramRoot)));
  problems.push(...report('wxss (wcsc)', checkWxss(miniprogramRoot)));
  problems.push(...report('types (tsc)', checkTypes(path.join(miniprogramRoot, 'tsconfig.json'))));

  const ci = compileWithCi(repoRoot);
  problems.push(
    ...report(
      'compile (miniprogram-ci getCompiledResult)',
      ci.problems,
      `${Object.keys(ci.files).length} file(s) to upload`,
    ),
  );
  if (ci.problems.length === 0) {
    const sizes = measurePackages(ci.files, listSubpackages(miniprogramRoot));
    for (const size of sizes) {
      const label = size.name === 'main' ? 'main package' : `subpackage ${size.name} (${size.root})`;
      console.log(`  ${label}: ${formatKb(size.bytes)} of ${formatKb(PACKAGE_LIMIT)}`);
    }
    problems.push(...report('package sizes', checkPackageSizes(sizes)));
    // checkCodeQuality measures the source folder (unused library files included) and lists advice; shown, not enforced.
    for (const item of ci.quality.filter((q) => !q.success))
      console.warn(`  checkCodeQuality: ${item.name}: ${item.text}`);
  }

  if (problems.length > 0) {
    console.error(`check:mp failed: ${problems.length} problem(s)`);
    return 1;
  }
  console.log('check:mp passed');
  return 0;
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error('check:mp crashed:', error);
    process.exit(1);
  });
