/**
 * Reading a points card at the counter with `wx.getNFCAdapter` (Android only): the tag's UID as upper-case hex
 * and, if the tag carries one, the NDEF text record with the card token. No `wx` in the pure helpers.
 */
import type { PresentedCard } from '../../contract/shop';
import { bytesToHex } from '../../services/nfc';

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

/** What a discovered tag presents: its UID and the first NDEF text (the token), if any. */
export function presentedCard(tag: { id: ArrayBuffer; messages?: unknown[] }): PresentedCard | null {
  const uid = bytesToHex(tag.id);
  if (!uid) return null;
  const token = recordsOf((tag.messages ?? []) as NdefMessage[])
    .map(textOf)
    .find((t): t is string => !!t);
  return token ? { uid, token } : { uid };
}

export type ReaderState = 'listening' | 'unsupported' | 'off';

/**
 * Starts listening for cards; `onCard` gets every tag read. Returns the state and a stop function (call it when
 * the page unloads).
 */
export function startCardReader(
  onCard: (card: PresentedCard) => void,
  onState: (state: ReaderState) => void,
): () => void {
  if (typeof wx.getNFCAdapter !== 'function') {
    onState('unsupported');
    return () => undefined;
  }
  const adapter = wx.getNFCAdapter();
  const listener = (res: WechatMiniprogram.OnDiscoveredListenerResult) => {
    const card = presentedCard(res);
    if (card) onCard(card);
  };
  adapter.onDiscovered(listener);
  adapter.startDiscovery({
    success: () => onState('listening'),
    fail: (err: { errCode?: number }) => onState(err?.errCode === 13000 ? 'unsupported' : 'off'),
  });
  return () => {
    adapter.offDiscovered(listener);
    adapter.stopDiscovery({});
  };
}
