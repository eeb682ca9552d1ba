/**
 * Downloading a file the backend produced (an exported Excel sheet) and opening it: `wx.cloud.downloadFile`
 * with the file id in cloud mode, `wx.downloadFile` with the temporary link in local mode (or when the cloud
 * download fails and a link came with the file). Never throws. Pages call this, never `wx.cloud` themselves.
 */
import { getBackendConfig } from './config';
import { initBackend, NETWORK_MESSAGE } from './client';

export type DownloadResult = { ok: true; filePath: string } | { ok: false; message: string };
export type OpenResult = { ok: true } | { ok: false; message: string };

export const DOWNLOAD_FAILED_MESSAGE = '文件下载失败，请重试';
export const OPEN_FAILED_MESSAGE = '无法打开文件，请确认手机上能打开Excel表格';

export interface StoredFile {
  fileID: string;
  tempFileURL: string;
}

function downloadByUrl(url: string): Promise<DownloadResult> {
  return new Promise((resolve) => {
    wx.downloadFile({
      url,
      success: (res) =>
        resolve(
          res.statusCode === 200 && res.tempFilePath
            ? { ok: true, filePath: res.tempFilePath }
            : { ok: false, message: DOWNLOAD_FAILED_MESSAGE },
        ),
      fail: () => resolve({ ok: false, message: NETWORK_MESSAGE }),
    });
  });
}

function downloadFromCloud(fileID: string): Promise<DownloadResult> {
  initBackend();
  return new Promise((resolve) => {
    wx.cloud.downloadFile({
      fileID,
      success: (res) =>
        resolve(
          res.tempFilePath
            ? { ok: true, filePath: res.tempFilePath }
            : { ok: false, message: DOWNLOAD_FAILED_MESSAGE },
        ),
      fail: () => resolve({ ok: false, message: DOWNLOAD_FAILED_MESSAGE }),
    });
  });
}

/** Downloads `file` to a temporary path on the phone. */
export async function downloadStoredFile(file: StoredFile): Promise<DownloadResult> {
  try {
    if (getBackendConfig().mode === 'cloud' && file.fileID) {
      const result = await downloadFromCloud(file.fileID);
      if (result.ok || !file.tempFileURL) return result;
    }
    if (!file.tempFileURL) return { ok: false, message: DOWNLOAD_FAILED_MESSAGE };
    return await downloadByUrl(file.tempFileURL);
  } catch {
    return { ok: false, message: DOWNLOAD_FAILED_MESSAGE };
  }
}

export const OPEN_PDF_FAILED_MESSAGE = '无法打开文件，请确认手机上能打开PDF文件';

/** Opens a downloaded spreadsheet with the phone's viewer (with the menu to forward or save it). */
export function openSpreadsheet(filePath: string): Promise<OpenResult> {
  return openDownloaded(filePath, 'xlsx', OPEN_FAILED_MESSAGE);
}

/** Opens a downloaded PDF (the 公示 poster) for printing or forwarding. */
export function openPdf(filePath: string): Promise<OpenResult> {
  return openDownloaded(filePath, 'pdf', OPEN_PDF_FAILED_MESSAGE);
}

function openDownloaded(filePath: string, fileType: 'xlsx' | 'pdf', failed: string): Promise<OpenResult> {
  return new Promise((resolve) => {
    try {
      wx.openDocument({
        filePath,
        fileType,
        showMenu: true,
        success: () => resolve({ ok: true }),
        fail: () => resolve({ ok: false, message: failed }),
      });
    } catch {
      resolve({ ok: false, message: failed });
    }
  });
}
