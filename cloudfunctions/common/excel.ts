/**
 * exceljs, loaded on first use. It is larger than everything else a function holds together, and most calls never
 * touch a spreadsheet, so the build keeps it out of the function's `index.js`: `scripts/build-functions.ts` puts it
 * in a side bundle `excel.js` beside each function that uses it, and this import loads that file only when a
 * spreadsheet is read or written. From source (scripts, tests) it is the npm package itself.
 */
import type ExcelJS from 'exceljs';

export type Excel = typeof ExcelJS;

export async function loadExcel(): Promise<Excel> {
  const mod = (await import('exceljs')) as unknown as { default?: Excel } & Excel;
  return mod.default ?? mod;
}
