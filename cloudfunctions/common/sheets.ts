/**
 * Reading spreadsheets that cadres upload (xlsx from Excel/WPS, or CSV) into rows of cell text, header first.
 * The domain core then validates the rows; nothing here knows what the columns mean.
 */
import ExcelJS from 'exceljs';
import { parseCsv } from '../../miniprogram/core/households';
import { cloud } from './cloud';
import { InvalidInputError } from './errors';

const MAX_BYTES = 5 * 1024 * 1024;

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
  const workbook = new ExcelJS.Workbook();
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
    rows.push(cells);
  });
  return rows;
}

/** Downloads an uploaded sheet from storage and reads it by its extension (.xlsx or .csv). */
export async function readUploadedSheet(fileId: string): Promise<string[][]> {
  const res = (await cloud.downloadFile({ fileID: fileId })) as { fileContent: Buffer };
  const buffer = res.fileContent;
  if (buffer.length > MAX_BYTES)
    throw new InvalidInputError([{ path: 'fileId', message: '文件超过5MB，请拆分后导入' }]);
  if (/\.xlsx$/i.test(fileId)) return xlsxRows(buffer);
  if (/\.csv$/i.test(fileId)) return parseCsv(buffer.toString('utf8'));
  throw new InvalidInputError([{ path: 'fileId', message: '只支持.xlsx或.csv格式的表格' }]);
}
