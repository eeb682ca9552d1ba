/**
 * Each mini-program checker fails on a small broken fixture (test/fixtures/broken/…) and passes on the real
 * miniprogram/ folder.
 */
import path from 'node:path';
import { ensureNpmBuilt, repoRoot } from '../../scripts/build-npm';
import {
  PACKAGE_LIMIT,
  checkAppJson,
  checkPackageSizes,
  checkTypes,
  checkWxml,
  checkTextContent,
  checkWxss,
  findMultilineText,
  compileWithCi,
  listSubpackages,
  measurePackages,
} from '../../scripts/mp-checks';

const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'broken', name);
const miniprogramRoot = path.join(repoRoot, 'miniprogram');

beforeAll(() => {
  ensureNpmBuilt();
});

describe('wxml checker (wcc)', () => {
  it('fails on a mismatched tag and names the file', () => {
    // Act
    const problems = checkWxml(fixture('wxml-tag'));

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ check: 'wxml', file: 'pages/index/index.wxml' });
    expect(problems[0].message).toMatch(/end-tag/);
  });

  it('passes on the real mini-program', () => {
    expect(checkWxml(miniprogramRoot)).toEqual([]);
  });
});

describe('wxss checker (wcsc)', () => {
  it('fails on an unclosed block and names the file', () => {
    const problems = checkWxss(fixture('wxss-syntax'));

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ check: 'wxss', file: 'pages/index/index.wxss' });
  });

  it('resolves the files a stylesheet imports, and names an import that is missing', () => {
    const problems = checkWxss(fixture('wxss-import'));

    expect(problems.map((p) => [p.file, /missing\.wxss/.test(p.message)])).toEqual([
      ['pages/index/index.wxss', true],
    ]);
  });

  it('passes on the real mini-program', () => {
    expect(checkWxss(miniprogramRoot)).toEqual([]);
  });
});

describe('<text> content checker', () => {
  it('finds a <text> whose content spans lines, whatever its tag holds', () => {
    const wxml = [
      '<text wx:if="{{a > 1}}" class="x">',
      '  提出异议',
      '</text>',
      '<text class="ok">编辑</text>',
      '<text id="hug" bind:tap="onTap"',
      '  >取消</text',
      '>',
      '<text>',
      '  <text class="rank">{{rank}}</text> {{name}}</text>',
    ].join('\n');

    expect(findMultilineText(wxml)).toEqual([
      { line: 1, content: '提出异议' },
      { line: 8, content: '' },
    ]);
  });

  it('passes on the real mini-program', () => {
    expect(checkTextContent(miniprogramRoot)).toEqual([]);
  });
});

describe('app.json checker', () => {
  it('reports usingComponents paths that resolve to nothing, local or npm', () => {
    const problems = checkAppJson(fixture('unknown-component'));

    const messages = problems.map((p) => `${p.file}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringMatching(
        /^pages\/index\/index\.json: usingComponents "rule-card": "\.\.\/\.\.\/components\/rule-card/,
      ),
      expect.stringMatching(
        /^pages\/index\/index\.json: usingComponents "t-nope": "tdesign-miniprogram\/nope\/nope"/,
      ),
    ]);
  });

  it('reports a page listed in app.json but missing from disk', () => {
    const problems = checkAppJson(fixture('missing-page'));

    expect(problems).toEqual([
      { check: 'app.json', file: 'app.json', message: 'page "pages/gone/index" is listed but not on disk' },
    ]);
  });

  it('reports a tab bar page that lives in a subpackage', () => {
    const problems = checkAppJson(fixture('tabbar-subpackage'));

    expect(problems.map((p) => p.message)).toEqual([
      'tabBar page "packageCadre/review/index" must be in the main package',
    ]);
  });

  it('passes on the real mini-program', () => {
    expect(checkAppJson(miniprogramRoot)).toEqual([]);
  });
});

describe('types checker (tsc)', () => {
  it('fails on a type error in a page and names the file and line', () => {
    const problems = checkTypes(path.join(fixture('type-error'), 'tsconfig.json'));

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ check: 'types', file: 'pages/index/index.ts' });
    expect(problems[0].message).toMatch(/^1:7 TS2322: Type 'string' is not assignable to type 'number'/);
  });

  it('passes on the real mini-program', () => {
    expect(checkTypes(path.join(miniprogramRoot, 'tsconfig.json'))).toEqual([]);
  });
});

describe('DevTools compile (miniprogram-ci getCompiledResult)', () => {
  it('fails on a syntax error in a page and names the file', () => {
    const compiled = compileWithCi(fixture('compile-error'));

    expect(compiled.problems).toHaveLength(1);
    expect(compiled.problems[0]).toMatchObject({ check: 'compile', file: 'pages/index/index.ts' });
    expect(compiled.problems[0].message).toMatch(/Unexpected token \(5:12\)/);
  });
});

describe('package size checker', () => {
  it('fails when the main package or a subpackage is over 2 MB', () => {
    // Prepare
    const files = {
      'app.js': 1024,
      'miniprogram_npm/big/index.js': PACKAGE_LIMIT,
      'packageCadre/review/index.js': PACKAGE_LIMIT + 1,
    };

    // Act
    const sizes = measurePackages(files, [{ root: 'packageCadre', name: 'cadre' }]);
    const problems = checkPackageSizes(sizes);

    // Assess
    expect(sizes).toEqual([
      { name: 'main', root: null, bytes: PACKAGE_LIMIT + 1024 },
      { name: 'cadre', root: 'packageCadre', bytes: PACKAGE_LIMIT + 1 },
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      'main package is 2049.0 KB, over the 2048.0 KB limit',
      'subpackage cadre is 2048.0 KB, over the 2048.0 KB limit',
    ]);
  });

  it('passes on what miniprogram-ci would upload for the real project', () => {
    // Act
    const compiled = compileWithCi(repoRoot);
    const sizes = measurePackages(compiled.files, listSubpackages(miniprogramRoot));

    // Assess
    expect(compiled.problems).toEqual([]);
    expect(Object.keys(compiled.files)).toEqual(
      expect.arrayContaining(['app.js', 'pages/rules/index.js', 'packageCadre/review/index.js']),
    );
    expect(Object.keys(compiled.files).some((f) => f.endsWith('.ts'))).toBe(false);
    expect(sizes.map((s) => s.name)).toEqual(['main', 'cadre', 'shop']);
    expect(checkPackageSizes(sizes)).toEqual([]);
  });
});
