/**
 * Reading spreadsheets that cadres upload (xlsx from Excel/WPS, or CSV) into rows of cell text, header first.
 * The domain core then validates the rows; nothing here knows what the columns mean.
 */
import { parseCsv } from '../../miniprogram/core/households';
import { cloud } from './cloud';
import { InvalidInputError } from './errors';
import { xlsxRows } from './xlsx';

const MAX_BYTES = 5 * 1024 * 1024;

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
