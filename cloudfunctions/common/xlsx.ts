/**
 * Rows of cell text from an .xlsx workbook's first sheet, header first (Excel or WPS). Shared by the import
 * action (on a file from storage) and the setup script (on a local file); the domain core validates the rows.
 */
import type ExcelJS from 'exceljs';
import { InvalidInputError } from './errors';
import { loadExcel } from './excel';

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return value.result === undefined ? '' : String(value.result);
    return '';
  }
  return String(value);
}

export async function xlsxRows(buffer: Buffer): Promise<string[][]> {
  const Excel = await loadExcel();
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new InvalidInputError([{ path: 'fileId', message: '无法读取该Excel文件，请另存为.xlsx后重试' }]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c += 1) cells.push(cellText(row.getCell(c).value).trim());
    if (cells.some((cell) => cell !== '')) rows.push(cells);
  });
  return rows;
}
