/**
 * Reads a QR module matrix as a phone's camera would: drawn as black squares on white with a quiet zone, then
 * decoded by jsQR. (qrcode-reader, used before, failed on about one valid code in ten, which made a test flaky.)
 */
import jsQR from 'jsqr';

export function decodeModules(rows: boolean[][]): string | null {
  const scale = 4;
  const quiet = 4;
  const size = (rows.length + 2 * quiet) * scale;
  const pixels = new Uint8ClampedArray(size * size * 4).fill(255);
  rows.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (!dark) return;
      for (let y = 0; y < scale; y += 1) {
        const at = (((r + quiet) * scale + y) * size + (c + quiet) * scale) * 4;
        for (let x = 0; x < scale; x += 1) pixels.fill(0, at + x * 4, at + x * 4 + 3);
      }
    }),
  );
  return jsQR(pixels, size, size)?.data ?? null;
}
