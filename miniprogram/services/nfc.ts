/**
 * The one NFC reader for points cards (Android and HarmonyOS only: WeChat on iOS has no NFC for mini-programs):
 * `wx.getNFCAdapter` → `startDiscovery` → `onDiscovered` gives the tag's UID, its technologies and any NDEF
 * messages, from which the card token (an NDEF text record) is read; the counter identifies a family by both,
 * binding writes the token to the tag. Every failure becomes a `NfcProblem` with the guidance a villager or a
 * clerk needs; nothing throws.
 */

/** Why the phone can't read cards now. */
export type NfcProblem = 'ios' | 'unsupported' | 'off' | 'unauthorized' | 'failed';

export const NFC_PROBLEM_TEXT: Record<NfcProblem, string> = {
  ios: '苹果手机的微信不能读取积分卡。请用安卓手机绑定，或到村委会请村干部代为绑卡；在超市可出示“我的二维码”兑换。',
  unsupported: '这部手机没有NFC功能，不能读取积分卡。请用带NFC的安卓手机绑定，或到村委会请村干部代为绑卡。',
  off: '手机的NFC没有打开。请在手机“设置”中打开NFC（有的手机在下拉菜单里），再点“重新读卡”。',
  unauthorized: '微信没有使用NFC的权限。请在手机“设置 → 应用 → 微信 → 权限”中允许NFC，再点“重新读卡”。',
  failed: '启动读卡失败，请稍后点“重新读卡”再试。',
};

/** Problems no retry on this phone can cure (iPhone, no NFC): offer the QR code instead. */
export const lastingProblem = (problem: NfcProblem | '' | null): boolean =>
  problem === 'ios' || problem === 'unsupported';

/** A card UID for reading aloud at the counter: `04A2B3C4` → `04 A2 B3 C4`. */
export const spacedUid = (uid: string): string => uid.replace(/(..)(?!$)/g, '$1 ');

/**
 * What a discovered tag tells: its UID (upper-case hex), whether it speaks NDEF (a token can be written), and
 * the token it carries (its first NDEF text record), if any.
 */
export interface DiscoveredTag {
  uid: string;
  ndef: boolean;
  token?: string;
}

export interface CardReader {
  /** Writes `token` to the tag now on the phone as one NDEF text record; a failure says why, in Chinese. */
  writeToken(token: string): Promise<{ ok: true } | { ok: false; message: string }>;
  stop(): void;
}

interface NfcFailure {
  errCode?: number;
  errMsg?: string;
}

const HEX = '0123456789ABCDEF';

/** A tag id as upper-case hex: `[0x04, 0xa2]` → `04A2`. */
export function bytesToHex(buffer: ArrayBuffer): string {
  let hex = '';
  for (const byte of new Uint8Array(buffer)) hex += HEX[byte >> 4] + HEX[byte & 15];
  return hex;
}

/** `ios`, `android`, `ohos`, `devtools`… from the newest API the base library has. */
export function phonePlatform(): string {
  try {
    if (typeof wx.getDeviceInfo === 'function') return wx.getDeviceInfo().platform;
    return wx.getSystemInfoSync().platform;
  } catch {
    return '';
  }
}

/** The problem before trying: iOS, or a WeChat/phone without the NFC API; null when reading can be tried. */
export function nfcProblemBeforeStart(): NfcProblem | null {
  if (phonePlatform() === 'ios') return 'ios';
  if (typeof wx.getNFCAdapter !== 'function') return 'unsupported';
  return null;
}

function codeOf(failure: unknown): number | null {
  const f = (failure ?? {}) as NfcFailure;
  if (typeof f.errCode === 'number') return f.errCode;
  const match = /\b(130\d\d)\b/.exec(f.errMsg ?? '');
  return match ? Number(match[1]) : null;
}

/** startDiscovery's error codes: 13000 no NFC, 13001 NFC switched off, 13019 not authorised. */
export function problemOf(failure: unknown): NfcProblem {
  const code = codeOf(failure);
  if (code === 13000) return 'unsupported';
  if (code === 13001) return 'off';
  if (code === 13019) return 'unauthorized';
  return 'failed';
}

/** Why a write failed, for the villager: tag moved away, tag cannot be written, other. */
export function writeFailureText(failure: unknown): string {
  const code = codeOf(failure);
  if (code === 13013 || code === 13016 || code === 13023)
    return '卡片离开了手机（连接断开），请把卡片贴紧手机背面不要移动';
  if (code === 13024 || code === 13014 || code === 13015) return '这张卡不支持写入';
  if (code === 13001) return '手机的NFC已关闭';
  return '写入卡片失败';
}

/** One NDEF record as WeChat gives it (the typings leave it `any`). */
interface NdefRecord {
  tnf?: number;
  type?: ArrayBuffer;
  payload?: ArrayBuffer;
}
type NdefMessage = NdefRecord | NdefRecord[] | { records?: NdefRecord[] };

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...Array.from(bytes));
}

/** UTF-8 (the token is ASCII; anything else is decoded byte by byte, which is harmless for a token check). */
function utf8(bytes: Uint8Array): string {
  try {
    return decodeURIComponent(
      Array.from(bytes)
        .map((b) => `%${b.toString(16).padStart(2, '0')}`)
        .join(''),
    );
  } catch {
    return ascii(bytes);
  }
}

/** The text of an NDEF text record (type `T`): status byte (language length), language, text. */
export function textOf(record: NdefRecord): string | null {
  if (!record.type || !record.payload) return null;
  if (ascii(new Uint8Array(record.type)) !== 'T') return null;
  const payload = new Uint8Array(record.payload);
  if (payload.length < 1) return null;
  const languageLength = payload[0] & 0x3f;
  return utf8(payload.slice(1 + languageLength)).trim() || null;
}

function recordsOf(messages: readonly NdefMessage[]): NdefRecord[] {
  const records: NdefRecord[] = [];
  for (const message of messages) {
    if (Array.isArray(message)) records.push(...message);
    else if ('records' in message && Array.isArray(message.records)) records.push(...message.records);
    else records.push(message as NdefRecord);
  }
  return records;
}

/** The token a tag carries: the first NDEF text record of its messages. */
export function tokenOf(messages: readonly unknown[]): string | undefined {
  return recordsOf(messages as NdefMessage[])
    .map(textOf)
    .find((t): t is string => !!t);
}

function isNdef(adapter: WechatMiniprogram.NFCAdapter, techs: unknown[]): boolean {
  const ndef = (adapter.tech?.ndef ?? 'NDEF').toLowerCase();
  return techs.some((t) => typeof t === 'string' && t.toLowerCase() === ndef);
}

/**
 * Starts discovery and calls `onTag` for every card that touches the phone, until `stop()`. Resolves with the
 * reader, or the problem that prevents reading.
 */
export function startCardReader(
  onTag: (tag: DiscoveredTag) => void,
): Promise<{ ok: true; reader: CardReader } | { ok: false; problem: NfcProblem }> {
  const before = nfcProblemBeforeStart();
  if (before) return Promise.resolve({ ok: false, problem: before });
  let adapter: WechatMiniprogram.NFCAdapter;
  try {
    adapter = wx.getNFCAdapter();
  } catch (error) {
    return Promise.resolve({ ok: false, problem: problemOf(error) });
  }
  const listener = (res: WechatMiniprogram.OnDiscoveredListenerResult) => {
    const uid = res.id ? bytesToHex(res.id) : '';
    if (!uid) return;
    const token = tokenOf(Array.isArray(res.messages) ? res.messages : []);
    onTag({
      uid,
      ndef: isNdef(adapter, Array.isArray(res.techs) ? res.techs : []),
      ...(token ? { token } : {}),
    });
  };
  const stop = () => {
    adapter.offDiscovered(listener);
    adapter.stopDiscovery({ fail: () => undefined });
  };
  const writeToken: CardReader['writeToken'] = (token) =>
    new Promise((resolve) => {
      const ndef = adapter.getNdef();
      const fail = (failure: unknown) => {
        ndef.close({ fail: () => undefined });
        resolve({ ok: false, message: writeFailureText(failure) });
      };
      ndef.connect({
        success: () =>
          ndef.writeNdefMessage({
            texts: [token],
            success: () => {
              ndef.close({ fail: () => undefined });
              resolve({ ok: true });
            },
            fail,
          }),
        fail,
      });
    });
  return new Promise((resolve) => {
    adapter.onDiscovered(listener);
    adapter.startDiscovery({
      success: () => resolve({ ok: true, reader: { writeToken, stop } }),
      fail: (failure) => {
        adapter.offDiscovered(listener);
        resolve({ ok: false, problem: problemOf(failure) });
      },
    });
  });
}
