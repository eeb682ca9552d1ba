/**
 * Points cards and QR codes. A card is bound to a member (and so to the family); binding can return a token the
 * server signs (HMAC-SHA256 over UID, member and the binding's serial) for the phone to write to the tag, and a
 * card bound with a token is refused at the counter without it. A card is blocked at once by its family or a
 * cadre. Every card event is logged in `cardEvents`. A family's QR code is a short-lived signed token.
 */
import { randomBytes } from 'node:crypto';
import { cardTokenPayload, qrPayload } from '../../miniprogram/core/shop';
import { canManageVillage, canOverseeVillage, requireFamily, requireOwnMember } from '../common/access';
import type { Caller } from '../common/caller';
import { callerName } from '../common/caller';
import { db, find, getById, now, transaction, txGet, txSet, type Tx } from '../common/data';
import { townId } from '../common/env';
import { ConflictError, ForbiddenError, NotFoundError, RefusedError } from '../common/errors';
import {
  COLLECTIONS,
  type CardDoc,
  type CardEventDoc,
  type FamilyDoc,
  type MemberDoc,
  type PinDoc,
} from '../common/model';
import { audit, setWithTrail } from '../common/writes';
import { keepQrCode } from './qr-codes';
import {
  cardBindInput,
  cardsListInput,
  cardUidInput,
  defineShopActions,
  pinSetInput,
  qrIssueInput,
} from './schemas';
import { attemptPin, hashPin, pinLocked, pinLockedError } from './pins';
import { cardSecret, qrSecret, qrTtlSeconds, sign } from './secrets';
import { memberById } from '../common/places';

export function cardToken(card: Pick<CardDoc, '_id' | 'memberId' | 'serial'>): string {
  return sign(cardSecret(), cardTokenPayload(card._id, card.memberId, card.serial));
}

export async function logCardEvent(
  tx: Tx | null,
  caller: Caller,
  card: Pick<CardDoc, '_id' | 'townId' | 'villageId' | 'familyId' | 'memberId'>,
  kind: CardEventDoc['kind'],
  detail: string,
  at: Date,
): Promise<void> {
  const doc: CardEventDoc = {
    townId: card.townId,
    villageId: card.villageId,
    cardUid: card._id,
    familyId: card.familyId,
    memberId: card.memberId,
    kind,
    detail,
    by: caller.openid,
    byName: callerName(caller),
    at,
  };
  if (tx) await tx.collection(COLLECTIONS.cardEvents).add({ data: doc });
  else await db.collection(COLLECTIONS.cardEvents).add({ data: doc });
}

/**
 * A card as shown. Its UID is shown only to the card's own family: a UID identifies a card at the counter, so
 * anyone else (a cadre blocking a lost card) gets an opaque reference `ref-<member>-<binding>` instead.
 */
function cardView(card: CardDoc, ownFamily = true) {
  return {
    uid: ownFamily ? card._id : cardRef(card),
    memberId: card.memberId,
    memberName: card.memberName,
    status: card.status,
    tokenRequired: card.tokenRequired,
    boundAt: card.boundAt,
    blockedAt: card.blockedAt,
  };
}

/** The member themself, the head of their family, or a cadre of their village (on behalf of the member). */
async function mayBindFor(caller: Caller, target: MemberDoc): Promise<{ onBehalf: boolean }> {
  const p = caller.profile;
  if (p?.memberId === target._id) return { onBehalf: false };
  if (p?.familyId === target.familyId && p.memberId) {
    const self = await getById<MemberDoc>(COLLECTIONS.members, p.memberId);
    if (self?.relation === '户主') return { onBehalf: false };
  }
  if (canManageVillage(caller, target.villageId)) return { onBehalf: true };
  throw new ForbiddenError('只能为本人、本户成员（户主）或本村村民（村干部）办卡');
}

/** The card's family, or a cadre of its village. */
function requireCardHolder(caller: Caller, card: CardDoc): void {
  if (caller.profile?.familyId !== card.familyId && !canManageVillage(caller, card.villageId))
    throw new ForbiddenError('只能操作本家庭的积分卡');
}

const cardRef = (card: CardDoc) => `ref-${card.memberId}-${card.serial}`;

/** The UID a card reference points at (the card as currently bound to that member), or the UID itself. */
async function resolveCard(uidOrRef: string): Promise<string> {
  const match = /^ref-(.+)-(\d+)$/.exec(uidOrRef);
  if (!match) return uidOrRef;
  const [card] = await find<CardDoc>(
    COLLECTIONS.cards,
    { memberId: match[1], serial: Number(match[2]) },
    { limit: 1 },
  );
  if (!card) throw new NotFoundError('该卡未绑定');
  return card._id;
}

async function changeStatus(
  caller: Caller,
  uidOrRef: string,
  status: 'blocked' | 'unbound',
  reason: string,
): Promise<ReturnType<typeof cardView>> {
  const at = now();
  const uid = await resolveCard(uidOrRef);
  return transaction(async (tx) => {
    const card = await txGet<CardDoc>(tx, COLLECTIONS.cards, uid);
    if (!card || card.status === 'unbound') throw new NotFoundError('该卡未绑定');
    requireCardHolder(caller, card);
    if (card.status === status) return cardView(card, caller.profile?.familyId === card.familyId);
    const change =
      status === 'blocked'
        ? { status, blockedBy: caller.openid, blockedAt: at }
        : { status, tokenRequired: false };
    await tx.collection(COLLECTIONS.cards).doc(uid).update({ data: change });
    // A redemption only reads the card but writes the family: writing the family here too makes a redemption
    // with this card at the same moment conflict with the block (snapshot isolation), so none is charged after it.
    await tx
      .collection(COLLECTIONS.families)
      .doc(card.familyId)
      .update({ data: { cardChangedAt: at } });
    const label = status === 'blocked' ? '挂失' : '解绑';
    await logCardEvent(tx, caller, card, status, reason || label, at);
    await audit(tx, caller, {
      townId: card.townId,
      villageId: card.villageId,
      action: status === 'blocked' ? 'cards.block' : 'cards.unbind',
      target: { collection: COLLECTIONS.cards, id: uid },
      summary: `${label}${card.memberName}的积分卡${reason ? `：${reason}` : ''}`,
      onBehalfOf: caller.profile?.familyId === card.familyId ? null : card.memberId,
      at,
    });
    return cardView({ ...card, ...change }, caller.profile?.familyId === card.familyId);
  });
}

export const cardsActions = defineShopActions({
  /** Binds a card to a member; with `writesToken` returns the token the phone writes to the tag (NDEF). */
  'cards.bind': {
    input: cardBindInput,
    handler: async (input, { caller }) => {
      const target = await memberById(input.memberId);
      const { onBehalf } = await mayBindFor(caller, target);
      const at = now();
      return transaction(async (tx) => {
        const existing = await txGet<CardDoc>(tx, COLLECTIONS.cards, input.uid);
        if (existing && existing.status !== 'unbound') {
          throw new ConflictError(
            existing.status === 'blocked' ? '该卡已挂失，请先解绑' : '该卡已绑定，请先解绑后再绑定',
            { reason: 'CARD_BOUND' },
          );
        }
        const card: CardDoc = {
          _id: input.uid,
          townId: target.townId,
          villageId: target.villageId,
          familyId: target.familyId,
          memberId: target._id,
          memberName: target.name,
          status: 'bound',
          serial: (existing?.serial ?? 0) + 1,
          tokenRequired: input.writesToken,
          boundBy: caller.openid,
          boundAt: at,
          blockedBy: null,
          blockedAt: null,
        };
        await txSet(tx, COLLECTIONS.cards, card);
        await logCardEvent(
          tx,
          caller,
          card,
          'bound',
          `第${card.serial}次绑定${input.writesToken ? '（写入令牌）' : ''}`,
          at,
        );
        await audit(tx, caller, {
          townId: target.townId,
          villageId: target.villageId,
          action: 'cards.bind',
          target: { collection: COLLECTIONS.cards, id: card._id },
          summary: `为${target.name}绑定积分卡`,
          onBehalfOf: onBehalf ? target._id : null,
          at,
        });
        return { card: cardView(card), token: input.writesToken ? cardToken(card) : null };
      });
    },
  },

  /** Blocks (挂失) a card at once: the counter refuses it from now on. */
  'cards.block': {
    input: cardUidInput,
    handler: async (input, { caller }) => ({
      card: await changeStatus(caller, input.uid, 'blocked', input.reason),
    }),
  },

  /** Unbinds a card so it can be bound again (a new binding gets a new serial: old tokens stop working). */
  'cards.unbind': {
    input: cardUidInput,
    handler: async (input, { caller }) => ({
      card: await changeStatus(caller, input.uid, 'unbound', input.reason),
    }),
  },

  'cards.list': {
    input: cardsListInput,
    handler: async (input, { caller }) => {
      const familyId = input.familyId ?? requireFamily(caller).familyId;
      if (familyId !== caller.profile?.familyId) {
        const family = await getById<FamilyDoc>(COLLECTIONS.families, familyId);
        if (!family || !canOverseeVillage(caller, family.villageId))
          throw new ForbiddenError('只能查看本家庭的积分卡');
      }
      const cards = await find<CardDoc>(COLLECTIONS.cards, { familyId }, { limit: 100 });
      const own = familyId === caller.profile?.familyId;
      return { cards: cards.filter((c) => c.status !== 'unbound').map((c) => cardView(c, own)) };
    },
  },

  /** The family's QR code for the counter: signed, valid `QR_TTL_SECONDS` (120 s), so a screenshot expires. */
  'qr.issue': {
    input: qrIssueInput,
    handler: async (input, { caller }) => {
      const { familyId, memberId } = await requireOwnMember(
        caller,
        input.memberId,
        '只能为本家庭的成员出示二维码',
      );
      const issuedAt = now().getTime();
      const payload = qrPayload(familyId, input.memberId ?? memberId, issuedAt);
      const ttl = qrTtlSeconds();
      const token = `${payload}.${sign(qrSecret(), payload)}`;
      const expiresAt = new Date(issuedAt + ttl * 1000);
      await keepQrCode(input.memberId ?? memberId, familyId, token, expiresAt);
      return { token, issuedAt: new Date(issuedAt), expiresAt, ttlSeconds: ttl };
    },
  },

  /** Sets the family's counter PIN (any linked member; changing it needs the old one). */
  'pins.set': {
    input: pinSetInput,
    handler: async (input, { caller }) => {
      const { familyId, villageId } = requireFamily(caller);
      const at = now();
      // Changing a PIN needs the old one; each try counts towards the same lock as the counter's.
      const current = await getById<PinDoc>(COLLECTIONS.pins, familyId);
      if (current) {
        if (!input.oldPin) throw new RefusedError('PIN_MISMATCH', '请输入原密码');
        try {
          await attemptPin(familyId, input.oldPin, at);
        } catch (error) {
          if (error instanceof RefusedError && error.details?.reason === 'PIN_WRONG')
            throw new RefusedError(
              'PIN_MISMATCH',
              `原密码不正确${error.message.replace(/^兑换密码不正确/, '')}`,
              {
                attemptsLeft: error.details.attemptsLeft,
              },
            );
          throw error;
        }
      }
      return transaction(async (tx) => {
        const existing = await txGet<PinDoc>(tx, COLLECTIONS.pins, familyId);
        if (existing && pinLocked(existing, at)) throw pinLockedError();
        if (existing && !current) throw new ConflictError('兑换密码刚被设置，请刷新后重试');
        const { salt, hash } = hashPin(input.pin, randomBytes(12).toString('hex'));
        const pin = {
          _id: familyId,
          salt,
          hash,
          setBy: caller.openid,
          updatedAt: at,
          failures: 0,
          lockedUntil: null,
        };
        const place = { townId: townId(), villageId };
        await setWithTrail(tx, caller, COLLECTIONS.pins, pin, place, {
          action: 'pins.set',
          summary: existing ? '修改兑换密码' : '设置兑换密码',
          at,
        });
        return { set: true };
      });
    },
  },
});
