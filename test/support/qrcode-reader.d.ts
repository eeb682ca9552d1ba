/** The part of qrcode-reader (a port of jsqrcode) the tests use: decoding RGBA pixels, synchronously. */
declare module 'qrcode-reader' {
  export default class QrCodeReader {
    decode(image: { width: number; height: number; data: Uint8ClampedArray }): void;
    result?: { result: string };
    error?: unknown;
  }
}
