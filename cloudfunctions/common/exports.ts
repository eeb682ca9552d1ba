/** A file the functions produced (a sheet, a poster, an export): stored under `exports/` with a one-hour link. */
import { cloud } from './cloud';

export interface StoredExport {
  fileID: string;
  tempFileURL: string;
  fileName: string;
  bytes: number;
}

export async function storeExport(
  cloudPath: string,
  fileName: string,
  content: Buffer,
): Promise<StoredExport> {
  const uploaded = (await cloud.uploadFile({ cloudPath, fileContent: content })) as { fileID: string };
  const links = (await cloud.getTempFileURL({
    fileList: [{ fileID: uploaded.fileID, maxAge: 3600 }],
  })) as { fileList: { tempFileURL: string }[] };
  return {
    fileID: uploaded.fileID,
    tempFileURL: links.fileList[0]?.tempFileURL ?? '',
    fileName,
    bytes: content.length,
  };
}
