// The HTTP gateway (/functions, /upload, /files, /healthz, /) and malformed admin-protocol input.
import type { Emulator } from '../../emulator';
import type { Cloud } from './helpers';
import { adminCloud, modifyDocumentBody, rawAdmin, startTestEmulator } from './helpers';

let emu: Emulator;
let cloud: Cloud;

beforeAll(async () => {
  emu = await startTestEmulator();
  cloud = adminCloud(emu);
});

afterAll(async () => {
  await emu.stop();
});

async function upload(cloudPath: string, content: string, openid: string): Promise<Response> {
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  form.append('file', new Blob([content]), 'x.txt');
  return fetch(`${emu.url}/upload`, { method: 'POST', body: form, headers: { 'X-WX-OPENID': openid } });
}

describe('gateway', () => {
  it('GET /healthz answers ok', async () => {
    const res = await fetch(`${emu.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it('POST /functions/<name> runs the function as the X-WX-OPENID user and reports X-DB-Requests', async () => {
    const res = await fetch(`${emu.url}/functions/whoami`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-WX-OPENID': 'gw-user', 'X-WX-APPID': 'wx-gw' },
      body: JSON.stringify({ action: 'ping', n: 1 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-db-requests')).toBe('0');
    expect(await res.json()).toEqual({
      ctx: { OPENID: 'gw-user', APPID: 'wx-gw', ENV: emu.envId, SOURCE: 'wx_client' },
      event: { action: 'ping', n: 1 },
    });
    const writer = await fetch(`${emu.url}/functions/dbwriter`, {
      method: 'POST',
      headers: { 'X-WX-OPENID': 'gw-user' },
      body: JSON.stringify({ text: 'via gateway' }),
    });
    expect(writer.headers.get('x-db-requests')).toBe('2');
  });

  it('function failures and unknown functions map to CloudBase error codes', async () => {
    const failed = await fetch(`${emu.url}/functions/thrower`, { method: 'POST', body: '{}' });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ errCode: -504002 });
    const missing = await fetch(`${emu.url}/functions/nope`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    const badJson = await fetch(`${emu.url}/functions/whoami`, { method: 'POST', body: '{nope' });
    expect(badJson.status).toBe(400);
  });

  it('POST /upload stores the file with its uploader; temp URLs serve it; deleteFile removes it', async () => {
    const res = await upload('photos/gw/1.txt', 'photo-bytes', 'uploader-9');
    expect(res.status).toBe(200);
    const { fileID } = (await res.json()) as { fileID: string };
    expect(fileID).toMatch(/^cloud:\/\/local\.[^/]+\/photos\/gw\/1\.txt$/);
    expect(emu.fileInfo(fileID)).toMatchObject({ openid: 'uploader-9', size: 11, path: 'photos/gw/1.txt' });
    const meta = await fetch(`${emu.url}/files?fileId=${encodeURIComponent(fileID)}`);
    expect(await meta.json()).toMatchObject({ fileId: fileID, openid: 'uploader-9' });
    const uploads = await cloud.database().collection('uploads').where({ fileID }).get();
    expect(uploads.data[0]).toMatchObject({ fileID, openid: 'uploader-9', size: 11 });

    const urls = await cloud.getTempFileURL({ fileList: [fileID, `cloud://local.x/missing.txt`] });
    expect(urls.fileList[0].status).toBe(0);
    expect(await (await fetch(urls.fileList[0].tempFileURL)).text()).toBe('photo-bytes');
    expect(urls.fileList[1].status).not.toBe(0);

    const del = await cloud.deleteFile({ fileList: [fileID] });
    expect(del.fileList[0].status).toBe(0);
    expect((await fetch(urls.fileList[0].tempFileURL)).status).toBe(404);
    expect(emu.fileInfo(fileID)).toBeUndefined();
  });

  it('refuses uploads without a file or with a path that escapes the store', async () => {
    expect((await upload('../../etc/passwd', 'x', 'u')).status).toBe(400);
    const form = new FormData();
    form.append('cloudPath', 'a.txt');
    expect((await fetch(`${emu.url}/upload`, { method: 'POST', body: form })).status).toBe(400);
  });

  it('GET / lists collections, /collection their documents', async () => {
    await cloud
      .database()
      .collection('notes')
      .add({ data: { text: '页面上可见' } });
    const html = await (await fetch(`${emu.url}/`)).text();
    expect(html).toContain('notes');
    const listed = await (await fetch(`${emu.url}/collection?name=notes`)).text();
    expect(listed).toContain('页面上可见');
  });
});

describe('bad protocol input', () => {
  async function countNotes(): Promise<number> {
    return (await cloud.database().collection('notes').count()).total;
  }

  it('each malformed request gets CloudBase’s error shape, writes nothing, and the server keeps serving', async () => {
    // A note for the malformed updates to find: on an empty collection they would match nothing and prove nothing.
    await cloud
      .database()
      .collection('notes')
      .add({ data: { text: '不该被改' } });
    const before = await countNotes();
    const cases: [unknown, string][] = [
      ['{not json', 'INVALID_PARAM'],
      [[1, 2], 'INVALID_PARAM'],
      [{ collectionName: 'notes' }, 'INVALID_PARAM'],
      [{ action: 'database.frobnicate', collectionName: 'notes' }, 'INVALID_ACTION'],
      [{ action: 'storage.frobnicate' }, 'INVALID_ACTION'],
      [
        { action: 'database.getDocument', collectionName: 'notes', queryType: 'WHERE', query: '{"a":' },
        'INVALID_PARAM',
      ],
      [
        { action: 'database.insertDocument', collectionName: 'notes', data: ['{"$date":"nonsense"}'] },
        'INVALID_PARAM',
      ],
      [
        { action: 'database.insertDocument', collectionName: 'notes', data: [{ plain: 'object' }] },
        'INVALID_PARAM',
      ],
      [
        modifyDocumentBody('notes', {}, '{"$nope":{"a":1}}', { queryType: 'WHERE', multi: true }),
        'DATABASE_INVALID_OPERRATOR',
      ],
      [
        modifyDocumentBody('notes', {}, '{"$set":{"a":1},"$inc":{"a":1}}', {
          queryType: 'WHERE',
          multi: true,
        }),
        'DATABASE_REQUEST_FAILED',
      ],
      [{ action: 'database.getDocument', collectionName: 'notes', limit: -1 }, 'INVALID_PARAM'],
      [{ action: 'database.commitTransaction', transactionId: 'missing' }, 'DATABASE_TRANSACTION_FAIL'],
      [{ action: 'database.getDocument', collectionName: 'ghost' }, 'DATABASE_COLLECTION_NOT_EXIST'],
      [
        { action: 'functions.invokeFunction', function_name: 'whoami', request_data: '{bad' },
        'INVALID_PARAM',
      ],
    ];
    for (const [body, code] of cases) {
      const reply = await rawAdmin(emu, body);
      expect({ body, code: reply.code }).toEqual({ body, code });
      expect(typeof reply.message).toBe('string');
      expect(typeof reply.requestId).toBe('string');
    }
    expect(await countNotes()).toBe(before);
    expect((await fetch(`${emu.url}/healthz`)).status).toBe(200);
  });

  it('a request naming another environment gets INVALID_ENV; an unknown invocation path is refused', async () => {
    const res = await fetch(`${emu.url}/admin?env=other-env&seqId=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'database.getDocument', collectionName: 'notes', envName: 'other-env' }),
    });
    expect(await res.json()).toMatchObject({ code: 'INVALID_ENV' });
    const other = await rawAdmin(
      emu,
      { action: 'database.getDocument', collectionName: 'notes' },
      '/inv/nope',
    );
    expect(other.code).toBe('INVALID_PARAM');
  });

  it('the SDK surfaces a wrong environment as an error, never as success', async () => {
    const wrong = cloud.database({ env: 'other-env' });
    await expect(wrong.collection('notes').get()).rejects.toHaveProperty('errCode');
  });
});
