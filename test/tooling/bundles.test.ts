/**
 * Lean functions: every cold start loads only the function's minified index.js, at most 1 MB (wx-server-sdk is
 * left to the platform); exceljs sits in a side bundle the function loads on its first spreadsheet.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EXCEL_BUNDLE, functionNames } from '../../scripts/build-functions';
import { builtFunctions } from '../support/backend';

const MB = 1024 * 1024;

it('keeps each function’s index.js within 1 MB, with exceljs only in its side bundle', async () => {
  const dir = await builtFunctions();
  const sizes = functionNames().map((name) => {
    const index = fs.readFileSync(path.join(dir, name, 'index.js'), 'utf8');
    const excel = path.join(dir, name, EXCEL_BUNDLE);
    return {
      name,
      index: Buffer.byteLength(index),
      requiresSdk: index.includes('require("wx-server-sdk")'),
      excelInIndex: index.includes('[Content_Types].xml'),
      loadsSideBundle: index.includes(`./${EXCEL_BUNDLE}`),
      side: fs.existsSync(excel) ? fs.statSync(excel).size : 0,
    };
  });
  for (const s of sizes) {
    expect({
      name: s.name,
      within: s.index <= MB,
      requiresSdk: s.requiresSdk,
      excelInIndex: s.excelInIndex,
    }).toEqual({ name: s.name, within: true, requiresSdk: true, excelInIndex: false });
    // A function that loads the side bundle ships it.
    expect(s.loadsSideBundle).toBe(s.side > 0);
  }
  // The import (accounts) and the exports (points) read and write spreadsheets.
  expect(sizes.filter((s) => s.side > 0).map((s) => s.name)).toEqual(['accounts', 'points']);
});
