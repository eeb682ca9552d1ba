/**
 * 码号: the six characters the QR page shows under the code, typed at the counter when the camera cannot read
 * the screen. `qr.issue` keeps each member's latest code beside its token (one document per member, so the
 * collection never grows past the register); the counter resolves a typed code to that token and goes on as if
 * it had scanned it: the signature and the age are checked exactly as for a scan.
 */
import { qrShortCode } from '../../miniprogram/core/shop';
import { db, find } from '../common/data';
import { RefusedError } from '../common/errors';
import { COLLECTIONS, type QrCodeDoc } from '../common/model';

/** Remembers a member's latest code (the one its QR page shows). */
export async function keepQrCode(
  memberId: string,
  familyId: string,
  token: string,
  expiresAt: Date,
): Promise<void> {
  await db
    .collection(COLLECTIONS.qrCodes)
    .doc(memberId)
    .set({ data: { code: qrShortCode(token), familyId, token, expiresAt } });
}

/** The token behind a typed code; unknown or replaced codes are refused in the clerk's words. */
export async function tokenForQrCode(code: string): Promise<string> {
  const [doc] = await find<QrCodeDoc>(COLLECTIONS.qrCodes, { code: code.trim().toUpperCase() }, { limit: 1 });
  if (!doc) throw new RefusedError('CODE_UNKNOWN', '码号不对，请核对村民二维码下方的码号');
  return doc.token;
}
