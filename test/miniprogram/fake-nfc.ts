/**
 * A fake `wx.getNFCAdapter()` for card tests: it captures the `onDiscovered` listener, `tap(bytes)` fires a tag
 * (with NDEF unless other technologies are given), discovery can be made to fail to start, and the NDEF write
 * is a jest mock (make it fail with `mockImplementationOnce`).
 */
import { settle } from './harness';

export type Callbacks = { success?: (res?: unknown) => void; fail?: (err: unknown) => void };

export function fakeNfc(options: { startFailure?: { errCode: number; errMsg: string } } = {}) {
  let listener: ((res: { id: ArrayBuffer; techs: string[]; messages: unknown[] }) => void) | null = null;
  const ndef = {
    connect: jest.fn((o: Callbacks) => o.success?.()),
    writeNdefMessage: jest.fn((o: Callbacks & { texts?: string[] }) => o.success?.()),
    close: jest.fn(),
  };
  const adapter = {
    tech: { ndef: 'NDEF', nfcA: 'NFC-A' },
    onDiscovered: jest.fn((l: typeof listener) => (listener = l)),
    offDiscovered: jest.fn(() => (listener = null)),
    startDiscovery: jest.fn((o: Callbacks) =>
      options.startFailure ? o.fail?.(options.startFailure) : o.success?.(),
    ),
    stopDiscovery: jest.fn(),
    getNdef: jest.fn(() => ndef),
  };
  Object.assign(wx, { getNFCAdapter: jest.fn(() => adapter) });
  const tap = async (bytes: number[], techs = ['NFC-A', 'NDEF']) => {
    if (!listener) throw new Error('not discovering');
    listener({ id: new Uint8Array(bytes).buffer, techs, messages: [] });
    await settle();
  };
  return { adapter, ndef, tap, listening: () => listener !== null };
}
