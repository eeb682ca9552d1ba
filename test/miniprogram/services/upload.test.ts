/**
 * Photo uploads: cloud mode through wx.cloud.uploadFile, local mode as multipart to the emulator's /upload with
 * the identity header; progress passed on; failures answered, never thrown.
 */
import { BACKEND_STORAGE_KEY } from '../../../miniprogram/services/config';

const cloudUpload = wx.cloud.uploadFile as unknown as jest.Mock;
const wxUpload = jest.fn();

async function loadUpload() {
  jest.resetModules();
  return import('../../../miniprogram/services/upload');
}

beforeAll(() => Object.assign(wx, { uploadFile: wxUpload }));
beforeEach(() => {
  jest.clearAllMocks();
  wx.clearStorageSync();
});

it('uploads through wx.cloud in cloud mode, reporting progress', async () => {
  // Prepare
  const { uploadFile } = await loadUpload();
  let progress: ((res: { progress: number }) => void) | undefined;
  cloudUpload.mockImplementationOnce((options: { success(res: { fileID: string }): void }) => {
    setTimeout(() => {
      progress?.({ progress: 60 });
      options.success({ fileID: 'cloud://env.bucket/claims/o-he/a.jpg' });
    }, 0);
    return { onProgressUpdate: (listener: typeof progress) => (progress = listener) };
  });
  const seen: number[] = [];

  // Act
  const result = await uploadFile('claims/o-he/a.jpg', 'wxfile://a.jpg', (p) => seen.push(p));

  // Assess
  expect(cloudUpload).toHaveBeenCalledWith(
    expect.objectContaining({ cloudPath: 'claims/o-he/a.jpg', filePath: 'wxfile://a.jpg' }),
  );
  expect(seen).toEqual([60]);
  expect(result).toEqual({ ok: true, fileID: 'cloud://env.bucket/claims/o-he/a.jpg' });
});

it('answers a failed cloud upload with a message', async () => {
  const { uploadFile } = await loadUpload();
  cloudUpload.mockImplementationOnce((options: { fail(err: unknown): void }) => {
    options.fail({ errMsg: 'cloud.uploadFile:fail' });
    return undefined;
  });

  const result = await uploadFile('claims/o-he/a.jpg', 'wxfile://a.jpg', () => undefined);

  expect(result).toEqual({ ok: false, message: '照片上传失败，请重试' });
});

it('posts the file to the emulator in local mode, with cloudPath and the identity header', async () => {
  // Prepare
  wx.setStorageSync(BACKEND_STORAGE_KEY, { mode: 'local', baseUrl: 'http://127.0.0.1:3999', openid: 'o-he' });
  const { uploadFile } = await loadUpload();
  wxUpload.mockImplementationOnce((options: { success(res: object): void }) => {
    options.success({
      statusCode: 200,
      data: JSON.stringify({ fileID: 'cloud://local.local-bucket/claims/o-he/a.jpg' }),
    });
    return { onProgressUpdate: jest.fn() };
  });

  // Act
  const result = await uploadFile('claims/o-he/a.jpg', 'wxfile://a.jpg', () => undefined);

  // Assess
  expect(cloudUpload).not.toHaveBeenCalled();
  expect(wxUpload).toHaveBeenCalledWith(
    expect.objectContaining({
      url: 'http://127.0.0.1:3999/upload',
      filePath: 'wxfile://a.jpg',
      name: 'file',
      formData: { cloudPath: 'claims/o-he/a.jpg' },
      header: { 'X-WX-OPENID': 'o-he' },
    }),
  );
  expect(result).toEqual({ ok: true, fileID: 'cloud://local.local-bucket/claims/o-he/a.jpg' });
});

it('treats an emulator error status as a failed upload', async () => {
  wx.setStorageSync(BACKEND_STORAGE_KEY, { mode: 'local' });
  const { uploadFile } = await loadUpload();
  wxUpload.mockImplementationOnce((options: { success(res: object): void }) => {
    options.success({ statusCode: 400, data: '{"errCode":-503001}' });
    return undefined;
  });

  const result = await uploadFile('claims/o-he/a.jpg', 'wxfile://a.jpg', () => undefined);

  expect(result.ok).toBe(false);
});
