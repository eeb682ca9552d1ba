/** QR codes drawn by the mini-program itself: the module matrix of a text (qrcode-generator, byte mode). */
import qrcode from 'qrcode-generator';

/** The QR modules of `text` (error correction M, smallest version that fits): `true` is dark. */
export function qrModules(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  const rows: boolean[][] = [];
  for (let r = 0; r < count; r += 1) {
    const row: boolean[] = [];
    for (let c = 0; c < count; c += 1) row.push(qr.isDark(r, c));
    rows.push(row);
  }
  return rows;
}
