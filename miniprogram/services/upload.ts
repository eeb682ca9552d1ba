/**
 * Uploading a photo: `wx.cloud.uploadFile` in cloud mode, the emulator's `POST /upload` (multipart `file` +
 * `cloudPath`, identity in `X-WX-OPENID`) in local mode. Reports progress in percent; never throws.
 * Pages call this, never `wx.cloud` themselves.
 */
import { getBackendConfig } from './config';
import { initBackend, NETWORK_MESSAGE } from './client';

export type UploadResult = { ok: true; fileID: string } | { ok: false; message: string };

export const UPLOAD_FAILED_MESSAGE = '照片上传失败，请重试';

type Progress = (percent: number) => void;

function fileIdFrom(data: unknown): string | null {
  let body = data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      return null;
    }
  }
  if (typeof body !== 'object' || body === null) return null;
  const fileID = (body as Record<string, unknown>).fileID;
  return typeof fileID === 'string' && fileID.length > 0 ? fileID : null;
}

function uploadLocal(cloudPath: string, filePath: string, onProgress: Progress): Promise<UploadResult> {
  const config = getBackendConfig();
  return new Promise((resolve) => {
    const task = wx.uploadFile({
      url: `${config.baseUrl}/upload`,
      filePath,
      name: 'file',
      formData: { cloudPath },
      header: { 'X-WX-OPENID': config.openid },
      success: (res) => {
        const fileID = res.statusCode === 200 ? fileIdFrom(res.data) : null;
        resolve(fileID ? { ok: true, fileID } : { ok: false, message: UPLOAD_FAILED_MESSAGE });
      },
      fail: () => resolve({ ok: false, message: NETWORK_MESSAGE }),
    });
    task?.onProgressUpdate?.((res) => onProgress(res.progress));
  });
}

function uploadCloud(cloudPath: string, filePath: string, onProgress: Progress): Promise<UploadResult> {
  initBackend();
  return new Promise((resolve) => {
    const task = wx.cloud.uploadFile({
      cloudPath,
      filePath,
      success: (res) =>
        resolve(
          res.fileID ? { ok: true, fileID: res.fileID } : { ok: false, message: UPLOAD_FAILED_MESSAGE },
        ),
      fail: () => resolve({ ok: false, message: UPLOAD_FAILED_MESSAGE }),
    }) as unknown as WechatMiniprogram.UploadTask | undefined;
    task?.onProgressUpdate?.((res) => onProgress(res.progress));
  });
}

/** Uploads `filePath` to `cloudPath`, calling `onProgress(0…100)` as it goes. */
export function uploadFile(cloudPath: string, filePath: string, onProgress: Progress): Promise<UploadResult> {
  const upload = getBackendConfig().mode === 'local' ? uploadLocal : uploadCloud;
  return upload(cloudPath, filePath, onProgress).catch(() => ({
    ok: false as const,
    message: UPLOAD_FAILED_MESSAGE,
  }));
}
