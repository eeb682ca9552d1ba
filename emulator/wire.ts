// Small wire-format helpers: CloudBase error codes, multipart/form-data parsing, and the two protobuf
// messages wx.openApi uses (CommApiData in, CommOpenApiResp out).

/** CloudBase error code -> the errCode wx-server-sdk reports (see TCB_ERR_CODE in wx-server-sdk). */
export const ERR_CODES: Record<string, number> = {
  SYS_ERR: -501001,
  SERVER_TIMEOUT: -501002,
  INVALID_ENV: -501005,
  INVALID_COMMON_PARAM: -501006,
  INVALID_PARAM: -501007,
  DATABASE_REQUEST_FAILED: -502001,
  DATABASE_INVALID_OPERRATOR: -502002,
  DATABASE_PERMISSION_DENIED: -502003,
  DATABASE_COLLECTION_EXCEED_LIMIT: -502004,
  DATABASE_COLLECTION_NOT_EXIST: -502005,
  STORAGE_REQUEST_FAIL: -503001,
  STORAGE_EXCEED_AUTHORITY: -503002,
  STORAGE_FILE_NONEXIST: -503003,
  FUNCTIONS_REQUEST_FAIL: -504001,
  FUNCTIONS_EXECUTE_FAIL: -504002,
  FUNCTIONS_TIME_LIMIT_EXCEEDED: -504003,
};

export function errCodeOf(code: string): number {
  return ERR_CODES[code] ?? ERR_CODES.SYS_ERR!;
}

export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw new Error('multipart body without boundary');
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts: Part[] = [];
  let pos = body.indexOf(boundary);
  if (pos < 0) throw new Error('multipart boundary not found');
  while (pos >= 0) {
    let start = pos + boundary.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(boundary, start);
    if (next < 0) throw new Error('unterminated multipart body');
    const chunk = body.subarray(start, next - 2); // drop the CRLF before the boundary
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw new Error('multipart part without headers');
    const headers = chunk.subarray(0, headerEnd).toString('utf8');
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) throw new Error('multipart part without a name');
    const part: Part = { name, data: chunk.subarray(headerEnd + 4) };
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (filename !== undefined) part.filename = filename;
    const ct = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
    if (ct !== undefined) part.contentType = ct.trim();
    parts.push(part);
    pos = next;
  }
  return parts;
}

// ---- minimal protobuf ----

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  }
  bytes(): Buffer {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.bytes();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

function* fields(buf: Buffer): Generator<{ field: number; wireType: number; r: Reader }> {
  const r = new Reader(buf);
  while (!r.done()) {
    const tag = r.varint();
    yield { field: Math.floor(tag / 8), wireType: tag & 7, r };
  }
}

/** Decodes CommApiData{apiType=1, openapiData=2{pairs=1{key=1,value=2}}, appid=6} into a key -> raw value map. */
export function decodeOpenApiRequest(buf: Buffer): {
  apiType: number;
  pairs: Map<string, Buffer>;
  appid?: string;
} {
  const out: { apiType: number; pairs: Map<string, Buffer>; appid?: string } = {
    apiType: 0,
    pairs: new Map(),
  };
  for (const f of fields(buf)) {
    if (f.field === 1 && f.wireType === 0) out.apiType = f.r.varint();
    else if (f.field === 2 && f.wireType === 2) {
      for (const g of fields(f.r.bytes())) {
        if (g.field === 1 && g.wireType === 2) {
          let key = '';
          let value = Buffer.alloc(0);
          for (const h of fields(g.r.bytes())) {
            if (h.field === 1 && h.wireType === 2) key = h.r.bytes().toString('utf8');
            else if (h.field === 2 && h.wireType === 2) value = Buffer.from(h.r.bytes());
            else h.r.skip(h.wireType);
          }
          out.pairs.set(key, value);
        } else g.r.skip(g.wireType);
      }
    } else if (f.field === 6 && f.wireType === 2) out.appid = f.r.bytes().toString('utf8');
    else f.r.skip(f.wireType);
  }
  return out;
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function lenField(field: number, data: Buffer): Buffer {
  return Buffer.concat([varint(field * 8 + 2), varint(data.length), data]);
}

/** Encodes CommOpenApiResp{respData=1, contentType=2, errorCode=3}. */
export function encodeOpenApiResponse(respData: Buffer, contentType: string, errorCode = 0): Buffer {
  const parts = [lenField(1, respData), lenField(2, Buffer.from(contentType))];
  if (errorCode > 0) parts.push(Buffer.concat([varint(3 * 8), varint(errorCode)]));
  return Buffer.concat(parts);
}
