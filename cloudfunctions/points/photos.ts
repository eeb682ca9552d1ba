/**
 * Evidence photos for the people entitled to see them. The storage rule denies client reads, so a page cannot
 * show a `cloud://` id itself: `claims.photos` answers short-lived download links (cloud.getTempFileURL) for the
 * photos of the claims asked for, to the village's cadres (who review them), the group leader of the claim's
 * group (who follows it) and the claimant's own family. Claims the caller may not see are left out, never
 * refused one by one: the review page asks for a whole page of claims at once.
 */
import { z } from 'zod';
import type { ClaimPhotosOutput } from '../../miniprogram/contract/points';
import { canRecordForGroup } from '../common/access';
import type { Caller } from '../common/caller';
import { cloud } from '../common/cloud';
import { _, find } from '../common/data';
import { COLLECTIONS, type ClaimDoc } from '../common/model';
import { definePointsActions } from './schemas';

/** How long a link works: long enough to review a page of claims, short enough not to be passed around. */
export const PHOTO_LINK_SECONDS = 600;

export const claimPhotosInput = z
  .object({ claimIds: z.array(z.string().trim().min(1).max(64)).min(1).max(50) })
  .strict();

function maySee(caller: Caller, claim: ClaimDoc): boolean {
  return (
    canRecordForGroup(caller, claim.villageId, claim.groupId) || caller.profile?.familyId === claim.familyId
  );
}

export const photoActions = definePointsActions({
  'claims.photos': {
    input: claimPhotosInput,
    handler: async ({ claimIds }, { caller }): Promise<ClaimPhotosOutput> => {
      const claims = await find<ClaimDoc>(
        COLLECTIONS.claims,
        { _id: _.in(claimIds) },
        { limit: 50, fields: { villageId: 1, groupId: 1, familyId: 1, photos: 1 } },
      );
      const seen = claims.filter((c) => maySee(caller, c) && c.photos.length > 0);
      const fileIds = [...new Set(seen.flatMap((c) => c.photos))];
      if (fileIds.length === 0) return { photos: {} };
      const answer = (await cloud.getTempFileURL({
        fileList: fileIds.map((fileID) => ({ fileID, maxAge: PHOTO_LINK_SECONDS })),
      })) as { fileList: { fileID: string; tempFileURL: string }[] };
      const links = new Map(
        answer.fileList.filter((f) => f.tempFileURL).map((f) => [f.fileID, f.tempFileURL]),
      );
      const photos: ClaimPhotosOutput['photos'] = {};
      for (const claim of seen) {
        photos[claim._id] = claim.photos.map((id) => links.get(id) ?? '').filter(Boolean);
      }
      return { photos };
    },
  },
});
