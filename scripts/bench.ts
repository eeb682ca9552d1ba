/**
 * `npm run bench`: seeds a town of 50 villages × 400 families on a fresh local emulator and prints, for each
 * action a villager or cadre uses daily, the database requests it made (from the emulator's count) and its time.
 * Options: `--villages N --families N` for a smaller or larger town.
 *
 * Households come in through the real import action; the period scores that rankings read are written directly
 * as admin (approving 20,000 claims one by one would only measure the seeding), with the same shape the ledger
 * writes. Times are for this machine and vary with its load; request counts do not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminEnv, startEmulator } from '../emulator';
import { dayOf, monthOf, yearOf } from '../miniprogram/core/time';
import { buildFunctions } from './build-functions';
import { DEMO_FUNCTION_ENV, DEMO_TOWN_ADMIN, registerCsv } from './demo-town';
import { must } from './town-builder';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number`);
  return value;
}

/** Pads to a display width, counting Chinese characters as two columns. */
function pad(text: string, width: number): string {
  const shown = Array.from(text).reduce((w, ch) => w + (/[\u2e80-\uffff]/.test(ch) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(0, width - shown));
}

interface Row {
  action: string;
  dbRequests: number;
  ms: number;
}

async function main(): Promise<void> {
  const villages = option('villages', 50);
  const families = option('families', 400);
  const functionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-bench-functions-'));
  await buildFunctions(functionsDir);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-bench-'));
  const emu = await startEmulator({
    port: 0,
    dataDir,
    functionsDir,
    quiet: true,
    functionEnv: DEMO_FUNCTION_ENV,
  });
  const rows: Row[] = [];
  const timed = async (label: string, fn: string, action: string, input: unknown, openid: string) => {
    const started = process.hrtime.bigint();
    const { result, dbRequests } = await emu.invoke(fn, { action, input }, { openid });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const envelope = result as { ok: boolean; data?: unknown; error?: { code: string; message: string } };
    if (!envelope.ok) throw new Error(`${label}: ${envelope.error?.code} ${envelope.error?.message}`);
    rows.push({ action: label, dbRequests, ms });
    return envelope.data;
  };
  const call = async (fn: string, action: string, input: unknown, openid: string) =>
    (await emu.invoke(fn, { action, input }, { openid })).result as never;
  try {
    const seedStart = performance.now();
    const villageIds = Array.from({ length: villages }, (_, i) => `v${String(i + 1).padStart(3, '0')}`);
    await must(
      call,
      'accounts',
      'town.setup',
      {
        name: '基准测试镇',
        villages: villageIds.map((id, i) => ({
          id,
          name: `测试${i + 1}村`,
          groups: ['一组', '二组', '三组', '四组'],
        })),
      },
      DEMO_TOWN_ADMIN,
    );
    for (const [i, id] of villageIds.entries()) {
      const csv = registerCsv(`测试${i + 1}村`, ['一组', '二组', '三组', '四组'], families, i + 100);
      await timed(
        `families.import (${families}户)`,
        'accounts',
        'families.import',
        { villageId: id, csv },
        DEMO_TOWN_ADMIN,
      );
    }
    console.log(
      `imported ${villages * families} families in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    // Period scores for every family, as the ledger would have written them.
    adminEnv(emu);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cloud = require('wx-server-sdk');
    cloud.init({ env: emu.envId });
    const db = cloud.database();
    const now = emu.clock.now();
    const month = monthOf(now);
    const year = yearOf(now);
    let n = 0;
    for (const villageId of villageIds) {
      const res = await db.collection('families').where({ villageId }).limit(1000).get();
      for (const family of res.data as { _id: string; townId: string; headName: string }[]) {
        n += 1;
        const earned = ((n * 7919) % 400) * 5;
        for (const period of [month, year]) {
          await db
            .collection('scores')
            .doc(`${family._id}_${period}`)
            .set({
              data: {
                townId: family.townId,
                villageId,
                familyId: family._id,
                period,
                familyName: family.headName,
                earned,
                suspendedUntil: null,
              },
            });
        }
      }
    }
    console.log(
      `seeded ${n * 2} period scores; town ready in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`,
    );

    // A villager of the first village, and a cadre.
    const first = (
      await db.collection('members').where({ villageId: villageIds[0], relation: '户主' }).limit(2).get()
    ).data as { _id: string }[];
    for (const [openid, member] of [
      ['o-bench-villager', first[0]._id],
      ['o-bench-cadre', first[1]._id],
    ]) {
      const invite = await must<{ code: string }>(
        call,
        'accounts',
        'invites.create',
        { memberId: member },
        DEMO_TOWN_ADMIN,
      );
      await must(call, 'accounts', 'invites.redeem', { code: invite.code }, openid);
    }
    await must(
      call,
      'accounts',
      'roles.grant',
      { memberId: first[1]._id, role: 'villageCadre' },
      DEMO_TOWN_ADMIN,
    );
    const villager = 'o-bench-villager';
    const rules = (await timed('rules.list', 'points', 'rules.list', {}, villager)) as {
      rules: { id: string; code: string }[];
    };
    const c03 = rules.rules.find((r) => r.code === 'C03')?.id;
    await timed('home.get', 'points', 'home.get', {}, villager);
    await timed(
      'ranking.list 村·本月',
      'points',
      'ranking.list',
      { scope: 'village', period: month },
      villager,
    );
    await timed('ranking.list 镇·本年', 'points', 'ranking.list', { scope: 'town', period: year }, villager);
    const submitted = (await timed(
      'claims.submit',
      'points',
      'claims.submit',
      {
        requestId: 'bench-claim-000001',
        memberId: first[0]._id,
        ruleId: c03,
        deedDate: dayOf(now),
        text: '建议增设路灯',
      },
      villager,
    )) as { claim: { id: string } };
    await timed('review.queue', 'points', 'review.queue', { villageId: villageIds[0] }, 'o-bench-cadre');
    await timed(
      'review.approve (1)',
      'points',
      'review.approve',
      { claimIds: [submitted.claim.id] },
      'o-bench-cadre',
    );
    await timed('ledger.list', 'points', 'ledger.list', {}, villager);
    await timed('boards.list', 'points', 'boards.list', {}, villager);
    await timed('claims.mine', 'points', 'claims.mine', {}, villager);

    // The counter: a central shop for the first village, the cadre as its clerk, a card for the villager.
    await must(
      call,
      'shop',
      'shops.setup',
      {
        shops: [
          { id: 'central', name: '基准中心超市', kind: 'central', villageId: villageIds[0], seedGoods: true },
        ],
      },
      DEMO_TOWN_ADMIN,
    );
    await must(
      call,
      'accounts',
      'roles.grant',
      { memberId: first[1]._id, role: 'shopClerk', scopeId: 'central' },
      DEMO_TOWN_ADMIN,
    );
    const family = (await db.collection('members').doc(first[0]._id).get()).data as
      { familyId: string }[] | { familyId: string };
    const familyId = Array.isArray(family) ? family[0].familyId : family.familyId;
    await timed(
      'boards.publish (红榜)',
      'points',
      'boards.publish',
      {
        requestId: 'bench-red-000001',
        villageId: villageIds[0],
        board: 'red',
        familyId,
        title: '好人好事',
        points: 200,
        date: dayOf(now),
      },
      'o-bench-cadre',
    );
    const bound = (await timed(
      'cards.bind',
      'shop',
      'cards.bind',
      { uid: '04A1B2C3D4E5F6', memberId: first[0]._id, writesToken: true },
      villager,
    )) as {
      card: { uid: string };
      token: string;
    };
    const card = { uid: bound.card.uid, token: bound.token };
    await timed(
      'counter.identify (刷卡)',
      'shop',
      'counter.identify',
      { shopId: 'central', card },
      'o-bench-cadre',
    );
    await timed(
      'counter.redeem',
      'shop',
      'counter.redeem',
      {
        requestId: 'bench-order-000001',
        shopId: 'central',
        familyId,
        card,
        items: [{ goodsId: 'central-G001', quantity: 2 }],
      },
      'o-bench-cadre',
    );

    console.log(`town: ${villages} villages × ${families} families\n`);
    console.log('action'.padEnd(28) + 'db requests'.padStart(12) + 'ms'.padStart(10));
    for (const row of rows) {
      if (row.action.startsWith('families.import')) continue;
      console.log(pad(row.action, 28) + String(row.dbRequests).padStart(12) + row.ms.toFixed(0).padStart(10));
    }
    const imports = rows.filter((r) => r.action.startsWith('families.import'));
    const avg = imports.reduce((s, r) => s + r.ms, 0) / imports.length;
    console.log(
      `${pad(imports[0].action, 28)}${String(imports[0].dbRequests).padStart(12)}${avg.toFixed(0).padStart(10)}  (average of ${imports.length})`,
    );
  } finally {
    await emu.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
