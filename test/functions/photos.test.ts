/**
 * Evidence photos in production: the storage rule denies client reads, so the review page shows the photos of a
 * claim through temporary links `claims.photos` issues (cloud.getTempFileURL on the emulator) — to the village's
 * cadre and the claimant's family, not to a cadre of another village.
 */
import { randomUUID } from 'node:crypto';
import { dayOf } from '../../miniprogram/core/time';
import { data, errorOf, startTown, type Backend } from '../support/backend';
import { uploadFile } from '../support/town-actions';
import { TEST_NOW } from '../support/clock';
import type { BuiltVillage } from '../../scripts/setup-town';

type Town = Backend & { town: Record<string, BuiltVillage> };

describe('claims.photos', () => {
  let b: Town;
  beforeAll(async () => {
    b = await startTown();
  });
  afterAll(() => b.stop());

  const upload = (openid: string, cloudPath: string, bytes: Buffer) =>
    uploadFile(b, openid, cloudPath, new Uint8Array(bytes));

  it('gives the reviewing cadre and the family links that download the photo, and nobody else', async () => {
    // Prepare: 何雄梅 claims with one photo
    const bytes = Buffer.from('a photo of the river clean-up');
    const fileID = await upload('o-he', 'claims/o-he/river.jpg', bytes);
    expect(fileID).toMatch(/^cloud:\/\//);
    const rules = data(await b.call('points', 'rules.list', {}, 'o-he')).rules;
    const { claim } = data(
      await b.call(
        'points',
        'claims.submit',
        {
          requestId: randomUUID().replace(/-/g, ''),
          memberId: b.town.banzhu.members['何小明'].id,
          ruleId: rules.find((r) => r.code === 'C01')?.id ?? 'C01-missing',
          deedDate: dayOf(TEST_NOW),
          text: '参加河道清理',
          photos: [fileID],
        },
        'o-he',
      ),
    );

    // Act: the village's cadre asks for the photos of the page
    const forCadre = data(
      await b.call('points', 'claims.photos', { claimIds: [claim.id, 'no-such-claim'] }, 'o-luo'),
    );

    // Assess: one http(s) link per photo, which downloads the bytes; the unknown claim is absent
    expect(Object.keys(forCadre.photos)).toEqual([claim.id]);
    const [link] = forCadre.photos[claim.id] ?? [];
    expect(link).toMatch(/^https?:\/\//);
    expect(Buffer.from(await (await fetch(link as string)).arrayBuffer())).toEqual(bytes);

    // The family sees its own claim's photos too; a cadre of another village and a stranger do not.
    const forFamily = data(await b.call('points', 'claims.photos', { claimIds: [claim.id] }, 'o-he'));
    expect(forFamily.photos[claim.id]).toHaveLength(1);
    for (const stranger of ['o-zhang', 'o-tian']) {
      const answer = data(await b.call('points', 'claims.photos', { claimIds: [claim.id] }, stranger));
      expect(answer.photos).toEqual({});
    }
  });

  it('refuses an empty or oversized request', async () => {
    expect(errorOf(await b.call('points', 'claims.photos', { claimIds: [] }, 'o-luo')).code).toBe(
      'INVALID_INPUT',
    );
    const many = Array.from({ length: 51 }, (_, i) => `c${i}`);
    expect(errorOf(await b.call('points', 'claims.photos', { claimIds: many }, 'o-luo')).code).toBe(
      'INVALID_INPUT',
    );
  });
});
