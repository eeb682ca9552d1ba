/**
 * `npm run build`: bundles every cloud function in `cloudfunctions/<name>/index.ts` with esbuild into
 * `build/cloudfunctions/<name>/` (the folder project.config.json's cloudfunctionRoot names), each with its own
 * package.json whose only dependency is wx-server-sdk (left external: the platform installs it). Bundles are
 * minified (names kept, so logged stacks stay readable); exceljs goes into a side bundle `excel.js` that the
 * function loads only when it reads or writes a spreadsheet (cloudfunctions/common/excel.ts), and pdfkit into
 * `pdf.js` with the poster's font file beside it (cloudfunctions/common/pdf.ts), so a cold start loads `index.js`
 * alone. The build prints each bundle's size; test/tooling/bundles.test.ts bounds them.
 */
import { build, type Plugin } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIR = path.join(ROOT, 'cloudfunctions');
export const FUNCTIONS_OUT_DIR = path.join(ROOT, 'build', 'cloudfunctions');
/** Folders under cloudfunctions/ that hold shared code, not functions. */
const NOT_FUNCTIONS = new Set(['common']);

function sdkVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  return pkg.devDependencies['wx-server-sdk'];
}

export function functionNames(): string[] {
  return fs
    .readdirSync(SOURCE_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_FUNCTIONS.has(d.name))
    .filter((d) => fs.existsSync(path.join(SOURCE_DIR, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

export interface BuiltFunction {
  name: string;
  dir: string;
  /** Size of `index.js`, what every cold start loads. */
  bytes: number;
  /** Size of the side bundle `excel.js` (0 when the function has none), loaded on first spreadsheet use. */
  excelBytes: number;
  /** Size of the side bundle `pdf.js` (0 when none), loaded on the first poster; the font file lies beside it. */
  pdfBytes: number;
}

/** The side bundle's file name, next to the function's index.js. */
export const EXCEL_BUNDLE = 'excel.js';

/** The side bundle with pdfkit (cloudfunctions/common/pdf.ts), and the poster's font copied beside it. */
export const PDF_BUNDLE = 'pdf.js';
export const PDF_FONT = 'NotoSansSC-Regular.ttf';
const PDF_FONT_SOURCE =
  require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

/** Sends `import('exceljs')` and `import('./pdf-kit')` to side bundles instead of bundling them into index.js. */
const excelSideBundle: Plugin = {
  name: 'excel-side-bundle',
  setup(b) {
    b.onResolve({ filter: /^exceljs$/ }, () => ({ path: `./${EXCEL_BUNDLE}`, external: true }));
    b.onResolve({ filter: /^\.\/pdf-kit$/ }, () => ({ path: `./${PDF_BUNDLE}`, external: true }));
  },
};

const MINIFY = { minify: true, keepNames: true, legalComments: 'none' } as const;

/** A side bundle beside a function's index.js, from a one-line entry; returns its size. */
async function sideBundle(outfile: string, contents: string): Promise<number> {
  await build({
    stdin: { contents, resolveDir: ROOT, loader: 'js' },
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    ...MINIFY,
    logLevel: 'warning',
  });
  return fs.statSync(outfile).size;
}

export async function buildFunctions(outDir = FUNCTIONS_OUT_DIR): Promise<BuiltFunction[]> {
  const built: BuiltFunction[] = [];
  for (const name of functionNames()) {
    const dir = path.join(outDir, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    await build({
      entryPoints: [path.join(SOURCE_DIR, name, 'index.ts')],
      outfile: path.join(dir, 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node16',
      format: 'cjs',
      external: ['wx-server-sdk'],
      plugins: [excelSideBundle],
      sourcemap: false,
      ...MINIFY,
      logLevel: 'warning',
    });
    const index = path.join(dir, 'index.js');
    const code = fs.readFileSync(index, 'utf8');
    const excelBytes = code.includes(`./${EXCEL_BUNDLE}`)
      ? await sideBundle(path.join(dir, EXCEL_BUNDLE), "module.exports = require('exceljs');")
      : 0;
    let pdfBytes = 0;
    if (code.includes(`./${PDF_BUNDLE}`)) {
      pdfBytes = await sideBundle(
        path.join(dir, PDF_BUNDLE),
        `module.exports = { PDFDocument: require('pdfkit'), fontPath: require('path').join(__dirname, '${PDF_FONT}') };`,
      );
      fs.copyFileSync(PDF_FONT_SOURCE, path.join(dir, PDF_FONT));
    }
    const pkg = {
      name,
      version: '1.0.0',
      private: true,
      main: 'index.js',
      dependencies: { 'wx-server-sdk': sdkVersion() },
    };
    fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    const config = path.join(SOURCE_DIR, name, 'config.json');
    if (fs.existsSync(config)) fs.copyFileSync(config, path.join(dir, 'config.json'));
    built.push({ name, dir, bytes: fs.statSync(index).size, excelBytes, pdfBytes });
  }
  return built;
}

if (require.main === module) {
  // `tsx scripts/build-functions.ts [outDir]`: the default is the folder project.config.json names.
  const outDir = process.argv[2] ? path.resolve(process.argv[2]) : FUNCTIONS_OUT_DIR;
  buildFunctions(outDir)
    .then((built) => {
      for (const fn of built) {
        const excel =
          (fn.excelBytes
            ? ` (+ ${EXCEL_BUNDLE} ${(fn.excelBytes / 1024).toFixed(1)} KB, loaded on first spreadsheet use)`
            : '') +
          (fn.pdfBytes
            ? ` (+ ${PDF_BUNDLE} ${(fn.pdfBytes / 1024).toFixed(1)} KB and ${PDF_FONT}, on first poster)`
            : '');
        console.log(
          `built ${fn.name}: index.js ${(fn.bytes / 1024).toFixed(1)} KB${excel} → ${path.relative(ROOT, fn.dir)}/`,
        );
      }
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
