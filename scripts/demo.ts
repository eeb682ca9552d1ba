/**
 * `npm run demo`: one month of 斑竹村 from the command line, through the emulator's HTTP gateway as the
 * mini-program would call it — a claim with a photo, the monthly pass, review, an activity with QR check-in,
 * a black-board entry, an objection upheld, the ranking, the close — printing what each person would see. Time passes as in a rehearsal: the
 * month's end, the notice window, a black board's 3 months and the year end come by moving the emulator's clock
 * through its gateway (`POST /clock`, what `npm run clock` does), and each move is printed as that command.
 *
 * `npm run demo -- --at 2026-11-20T10:00` starts the story at that China time; without it, at the emulator's
 * clock (this machine's time).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Emulator } from '../emulator';
import type { Envelope } from '../miniprogram/core/envelope';
import type { ActionInput } from '../miniprogram/contract/index';
import { formatPoints, formatSignedPoints } from '../miniprogram/core/points';
import { addMonths, dayOf, monthOf, startOfMonth, yearOf } from '../miniprogram/core/time';
import { buildFunctions } from './build-functions';
import { CENTRAL_SHOP, setupDemoShops } from './demo-shops';
import { DEMO_TOWN_ADMIN, demoTown } from './demo-town';
import { emulatorClock, moveEmulatorClock } from './lib/clock';
import { typedCall, type Call } from './lib/call';
import { startScratchEmulator } from './lib/scratch-emulator';
import { buildTown } from './setup-town';

const DAY = 86_400_000;

/** Calls a function through the gateway, as the mini-program does in local mode. */
function gateway(emu: Emulator): Call & { lastDbRequests: () => number } {
  let last = 0;
  const call = async (fn: string, action: string, input: unknown, openid: string) => {
    const res = await fetch(`${emu.url}/functions/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-WX-OPENID': openid },
      body: JSON.stringify({ action, input }),
    });
    last = Number(res.headers.get('x-db-requests') ?? 0);
    return (await res.json()) as Envelope<unknown>;
  };
  return Object.assign(typedCall(call), { lastDbRequests: () => last });
}

async function upload(emu: Emulator, openid: string, cloudPath: string, bytes: Buffer): Promise<string> {
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  form.append('file', new Blob([bytes], { type: 'image/jpeg' }), path.basename(cloudPath));
  const res = await fetch(`${emu.url}/upload`, {
    method: 'POST',
    headers: { 'X-WX-OPENID': openid },
    body: form,
  });
  const body = (await res.json()) as { fileID?: string; errMsg?: string };
  if (!body.fileID) throw new Error(`upload failed: ${body.errMsg ?? res.status}`);
  return body.fileID;
}

const say = (who: string, text: string) => console.log(`【${who}】${text}`);
const scene = (text: string) => console.log(`\n══ ${text} ══`);

function ok<T>(res: Envelope<unknown>): T {
  if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
  return res.data as T;
}

interface Rule {
  id: string;
  code: string;
  title: string;
}

/** China time `YYYY-MM-DDTHH:mm` of an instant, as `npm run clock -- --at` takes it. */
const chinaMinute = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);

/** Where the demo leaves the month's 公示 poster. */
const DEMO_OUT = path.join(__dirname, '..', 'build', 'demo');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const startAt = args.includes('--at') ? args[args.indexOf('--at') + 1] : undefined;
  /** Keep the backend running after the story, so that the big screen's URL can be opened. */
  const serve = args.includes('--serve');
  // The demo runs the functions as built from this checkout, in a folder of its own.
  const functionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-demo-functions-'));
  await buildFunctions(functionsDir);
  const backend = await startScratchEmulator(functionsDir, { name: 'demo' });
  const { emu } = backend;
  const call = gateway(emu);
  /** What the functions see as now. */
  const now = async () => new Date((await emulatorClock(emu.url)).now);
  /** Moves the clock as `npm run clock -- <command>` would, and says so. */
  const clock = async (command: string) => {
    const view = await moveEmulatorClock(emu.url, command);
    console.log(
      `  ⏱ npm run clock -- ${command.startsWith('+') ? command : `--at ${command}`}  → ${view.china}`,
    );
    return new Date(view.now);
  };
  try {
    if (startAt) await clock(startAt);
    const month = monthOf(await now());
    const today = dayOf(await now());
    scene(`${month} 福禄镇积分制演示：斑竹村的一个月`);
    const town = await buildTown(call, demoTown());
    const banzhu = town.banzhu;
    const m = (name: string) => banzhu.members[name];
    say(
      '镇管理员',
      `建立福禄镇 ${Object.keys(town).length} 个村（社区），斑竹村导入 ${banzhu.families.length} 户`,
    );
    await setupDemoShops(call, town, yearOf(await now()));
    say(
      '镇管理员',
      '开设积分兑换中心超市（斑竹村运营，7村共建，60余种商品）和石院村积分小超市，按每户50元拨付积分基金',
    );
    const rules = ok<{ rules: Rule[] }>(await call('points', 'rules.list', {}, 'o-he')).rules;
    const rule = (code: string) => rules.find((r) => r.code === code) as Rule;

    scene('村民申报');
    const photo = await upload(
      emu,
      'o-he',
      `claims/o-he/demo-volunteer.jpg`,
      Buffer.from('demo photo: 河道清理'),
    );
    const claim = ok<{ claim: { id: string; pointsText: string } }>(
      await call(
        'points',
        'claims.submit',
        {
          requestId: 'demo-claim-0001',
          memberId: m('何雄梅').id,
          ruleId: rule('C01').id,
          deedDate: today,
          text: '参加河道清理志愿活动',
          photos: [photo],
        },
        'o-he',
      ),
    );
    say('何雄梅', `提交“${rule('C01').title}”申报（附照片1张），${claim.claim.pointsText}分，待审核`);

    scene('院坝会：组长批量采集');
    const passMembers = ['何雄梅', '何小军', '傅红', '刘国庆', '刘奶奶'];
    const recorded = ok<{ recorded: number }>(
      await call(
        'points',
        'records.create',
        {
          requestId: 'demo-pass-0001',
          villageId: 'banzhu',
          onBehalf: true,
          lines: passMembers.map((name) => ({
            memberId: m(name).id,
            ruleId: rule('C04').id,
            deedDate: today,
          })),
        },
        'o-fu',
      ),
    );
    say(
      '傅红（一组组长）',
      `录入“${rule('C04').title}” ${recorded.recorded} 条（代老年村民录入，已记入操作日志）`,
    );

    scene('村干部审核');
    const queue = ok<{
      items: {
        id: string;
        memberName: string;
        rule: { title: string };
        pointsText: string;
        submittedByName: string;
        conflict: string | null;
      }[];
    }>(await call('points', 'review.queue', { villageId: 'banzhu' }, 'o-luo'));
    for (const item of queue.items)
      say(
        '罗亚倩看到',
        `${item.memberName}｜${item.rule.title}｜${item.pointsText}｜录入：${item.submittedByName}`,
      );
    const approved = ok<{ decided: number }>(
      await call('points', 'review.approve', { claimIds: queue.items.map((i) => i.id) }, 'o-luo'),
    );
    say('罗亚倩', `批量通过 ${approved.decided} 条`);

    await activityMorning(call, town, rule('C01'), { clock, now });

    scene('红榜');
    for (const [village, name, cadre, title] of [
      ['banzhu', '何雄梅', 'o-luo', '照顾邻居孤寡老人'],
      ['banzhu', '傅红', 'o-luo', '长期照顾生病的婆婆'],
      ['shiyuan', '田大贵', DEMO_TOWN_ADMIN, '带头义务修缮村道'],
    ] as const) {
      ok(
        await call(
          'points',
          'boards.publish',
          {
            requestId: `demo-red-${town[village].members[name].id}`,
            villageId: village,
            board: 'red',
            familyId: town[village].members[name].familyId,
            memberId: town[village].members[name].id,
            title,
            points: 200,
            date: today,
          },
          cadre,
        ),
      );
      say('红榜', `${name}：${title}，+20分`);
    }

    scene('黑榜');
    const board = ok<{
      board: { name: string; title: string; pointsText: string; suspensionEndsAt: string };
    }>(
      await call(
        'points',
        'boards.publish',
        {
          requestId: 'demo-black-0001',
          villageId: 'banzhu',
          board: 'black',
          familyId: m('胡焱').familyId,
          title: '露天焚烧秸秆',
          points: -20,
          date: today,
        },
        'o-luo',
      ),
    );
    say(
      '村民看到黑榜',
      `${board.board.name}｜${board.board.title}｜${board.board.pointsText}分｜暂停评比至${dayOf(new Date(board.board.suspensionEndsAt))}`,
    );
    const objection = ok<{ objection: { id: string } }>(
      await call(
        'points',
        'objections.raise',
        {
          requestId: 'demo-objection-0001',
          target: { type: 'board', id: await blackBoardId(call) },
          reason: '烧秸秆的是隔壁承包户，不是我家',
        },
        'o-hu',
      ),
    );
    say('胡焱', '对黑榜记录提出异议');

    scene('监督小队调查');
    const decided = ok<{ corrections: string[] }>(
      await call(
        'points',
        'objections.decide',
        {
          objectionId: objection.objection.id,
          outcome: 'upheld',
          reason: '经现场走访核实，确系隔壁承包户所为',
        },
        'o-wan',
      ),
    );
    say('万有志（监督员）', `异议成立：黑榜撤下，冲正 ${decided.corrections.length} 条，暂停评比解除`);
    const hu = ok<{ suspended: boolean; available: number }>(await call('points', 'home.get', {}, 'o-hu'));
    say(
      '胡焱的首页',
      `可用积分 ${formatPoints(hu.available)}，${hu.suspended ? '暂停评比中' : '正常参与评比'}`,
    );
    const litterer = banzhu.families[banzhu.families.length - 1];
    ok(
      await call(
        'points',
        'boards.publish',
        {
          requestId: 'demo-black-0002',
          villageId: 'banzhu',
          board: 'black',
          familyId: litterer.id,
          title: '向河道倾倒建筑垃圾',
          points: -10,
          date: today,
        },
        'o-luo',
      ),
    );
    say(
      '村民看到黑榜',
      `${litterer.headName.slice(0, 1)}**家｜向河道倾倒建筑垃圾｜-1分｜暂停评比3个月（无异议）`,
    );

    const home = ok<{
      available: number;
      earnedThisMonth: number;
      villageRank: number;
      townRank: number;
      latest: { reason: string; pointsText: string; approvedByName: string }[];
    }>(await call('points', 'home.get', {}, 'o-he'));
    say(
      '何雄梅的首页',
      `可用 ${formatPoints(home.available)} 分，本月 ${formatSignedPoints(home.earnedThisMonth)} 分，村排名第 ${home.villageRank}，镇排名第 ${home.townRank}（${call.lastDbRequests()} 次数据库请求）`,
    );
    for (const line of home.latest)
      say('  明细', `${line.reason} ${line.pointsText}（审核：${line.approvedByName}）`);

    scene('月末公示');
    await clock(chinaMinute(new Date(startOfMonth(addMonths(month, 1)).getTime() + DAY + 10 * 3_600_000)));
    const notice = ok<{ noticeEndsAt: string }>(
      await call('points', 'months.startNotice', { villageId: 'banzhu', month }, 'o-luo'),
    );
    say('罗亚倩', `${month}积分结果开始公示，至${dayOf(new Date(notice.noticeEndsAt))}结束，期间可提出异议`);
    const ranking = ok<{
      rows: { rank: number | null; name: string; pointsText: string; suspended: boolean }[];
    }>(await call('points', 'ranking.list', { scope: 'village', period: month }, 'o-he'));
    for (const row of ranking.rows.slice(0, 5))
      say('公示榜', `${row.rank ?? '—'}｜${row.name}｜${row.pointsText}${row.suspended ? '｜暂停评比' : ''}`);

    scene('公示期满，锁定');
    await clock('+8d');
    ok(await call('points', 'months.lock', { villageId: 'banzhu', month }, 'o-luo'));
    const months = ok<{ months: { month: string; stateLabel: string }[] }>(
      await call('points', 'months.list', { villageId: 'banzhu' }, 'o-he'),
    );
    say(
      '村民看到',
      months.months
        .slice(0, 2)
        .map((x) => `${x.month}：${x.stateLabel}`)
        .join('；'),
    );
    const year = ok<{
      rows: { rank: number | null; name: string; villageName: string; pointsText: string }[];
    }>(await call('points', 'ranking.list', { scope: 'town', period: month.slice(0, 4) }, 'o-tian'));
    for (const row of year.rows.slice(0, 3))
      say('全镇年度榜', `${row.rank}｜${row.villageName}｜${row.name}｜${row.pointsText}`);
    await shopMorning(call, town, monthOf(await now()));

    scene('三个月后：黑榜到期');
    const suspendedIn = async () =>
      ok<{ rows: { name: string; suspended: boolean }[] }>(
        await call('points', 'ranking.list', { scope: 'village', period: month }, 'o-he'),
      ).rows.filter((r) => r.suspended).length;
    say('公示榜', `暂停评比的家庭：${await suspendedIn()} 户`);
    await clock('+3mo');
    say('三个月后的公示榜', `暂停评比的家庭：${await suspendedIn()} 户（黑榜满3个月自动解除）`);

    scene('年终：积分冠军');
    const demoYear = month.slice(0, 4);
    const yearEnd = new Date(`${Number(demoYear) + 1}-01-05T10:00:00+08:00`);
    if ((await now()).getTime() < yearEnd.getTime()) await clock(chinaMinute(yearEnd));
    const award = ok<{ families: { familyName: string; amountFen: number }[] }>(
      await call(
        'shop',
        'champions.award',
        { requestId: 'demo-champions-0001', villageId: 'banzhu', year: demoYear, topN: 3, rewardFen: 30000 },
        DEMO_TOWN_ADMIN,
      ),
    );
    for (const c of award.families)
      say(`${demoYear}年积分冠军`, `${c.familyName}，奖励 ${(c.amountFen / 100).toFixed(2)} 元（基金支付）`);

    scene('公示栏与大屏');
    const poster = ok<{ tempFileURL: string; fileName: string }>(
      await call('points', 'notice.poster', { villageId: 'banzhu', period: month }, 'o-luo'),
    );
    fs.mkdirSync(DEMO_OUT, { recursive: true });
    const posterPath = path.join(DEMO_OUT, poster.fileName);
    fs.writeFileSync(posterPath, Buffer.from(await (await fetch(poster.tempFileURL)).arrayBuffer()));
    say('罗亚倩', `打印公示海报：${path.relative(process.cwd(), posterPath)}`);
    const { link } = ok<{ link: { url: string } }>(
      await call(
        'points',
        'screens.create',
        { requestId: 'demo-screen-link-0001', villageId: 'banzhu', label: '村委会大厅' },
        'o-luo',
      ),
    );
    say(
      '村委会大屏',
      `${link.url}${serve ? '' : '（加 --serve 运行，演示结束后后端继续运行，可在浏览器打开）'}`,
    );
    console.log('\n演示完成。');
    if (serve) {
      console.log('后端继续运行，按 Ctrl-C 结束。');
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
  } finally {
    await backend.stop();
    fs.rmSync(functionsDir, { recursive: true, force: true });
  }
}

interface Picked {
  memberId: string;
  name: string;
  householdNumber: string;
  headName: string;
  checkedIn: boolean;
}

/**
 * 河道清理志愿服务: 傅红 (一组组长) creates it; households scan the code on her phone as they arrive (family
 * members along: 20 people), one twice; she adds two elderly villagers without phones by picking them from the
 * register; someone scans after the end; she submits the list and 罗亚倩 confirms it: one entry per person.
 */
async function activityMorning(
  call: Call,
  town: Awaited<ReturnType<typeof buildTown>>,
  volunteering: Rule,
  time: { clock: (command: string) => Promise<Date>; now: () => Promise<Date> },
): Promise<void> {
  const { clock } = time;
  scene('志愿活动：扫码签到');
  const banzhu = town.banzhu;
  // Half an hour on (to the ten minutes): check-in opens 30 minutes before the start, so at once.
  const start = new Date(Math.floor((await time.now()).getTime() / 600_000) * 600_000 + 30 * 60_000);
  const { activity } = ok<{ activity: { id: string; title: string; timeText: string } }>(
    await call(
      'points',
      'activities.create',
      {
        requestId: 'demo-activity-0001',
        villageId: 'banzhu',
        title: '河道清理志愿服务',
        ruleId: volunteering.id,
        place: '斑竹村一组河堤',
        startAt: start.toISOString(),
        endAt: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
        capacity: 0,
        allowFamily: true,
      },
      'o-fu',
    ),
  );
  say(
    '傅红（一组组长）',
    `发起活动“${activity.title}”（${volunteering.title}），${activity.timeText}，可替家人签到`,
  );

  // Households 7, 8, 10 and 11 link their WeChat with invite codes from the village office.
  const householdOf = async (number: string) => {
    const family = banzhu.families.find((f) => f.householdNumber === number);
    if (!family) throw new Error(`斑竹村 has no household ${number}`);
    return ok<{ members: { id: string; name: string; relation: string }[] }>(
      await call('accounts', 'families.get', { familyId: family.id }, DEMO_TOWN_ADMIN),
    ).members;
  };
  const linked: Record<string, string> = {};
  for (const number of ['7', '8', '10', '11']) {
    const head = (await householdOf(number)).find((m) => m.relation === '户主');
    if (!head) throw new Error(`household ${number} has no head`);
    const invite = ok<{ code: string }>(
      await call('accounts', 'invites.create', { memberId: head.id }, DEMO_TOWN_ADMIN),
    );
    linked[number] = `o-demo-household-${number}`;
    ok(await call('accounts', 'invites.redeem', { code: invite.code }, linked[number]));
  }

  await clock('+30m');
  const code = async () =>
    ok<{ code: string }>(await call('points', 'activities.code', { activityId: activity.id }, 'o-fu')).code;
  say('傅红的手机', '显示签到码（每30秒更新，照片转发到群里很快失效）');
  const scan = async (openid: string, who: string, memberIds: string[], request: string) => {
    const res = await call(
      'points',
      'activities.checkIn',
      { code: await code(), requestId: `demo-checkin-${request}`, memberIds },
      openid,
    );
    if (!res.ok) {
      say(who, `扫码签到未成功：${res.error.message}`);
      return 0;
    }
    const done = res.data as { members: { memberName: string }[] };
    say(who, `扫码签到：${done.members.map((m) => m.memberName).join('、')}`);
    return done.members.length;
  };
  const ids = (names: string[]) => names.map((n) => banzhu.members[n].id);
  const household = async (number: string, leaveOut: string[] = []) => {
    const members = (await householdOf(number)).filter((m) => !leaveOut.includes(m.relation));
    return { who: members[0].name, ids: members.map((m) => m.id) };
  };
  let scanned = 0;
  let scans = 0;
  for (const [openid, who, names] of [
    ['o-he', '何雄梅', ['何雄梅', '何小军', '何婷婷']],
    ['o-fu', '傅红', ['傅红', '刘国庆']],
    ['o-wan', '万有志', ['万有志', '贾冬']],
    ['o-hu', '胡焱', ['胡焱', '程志强', '胡小燕']],
  ] as const) {
    scanned += await scan(openid, who, ids([...names]), `${openid}-1`);
    scans += 1;
  }
  for (const [number, leaveOut] of [
    ['7', ['父母']],
    ['8', []],
    ['10', []],
  ] as const) {
    const h = await household(number, [...leaveOut]);
    scanned += await scan(linked[number], h.who, h.ids, `household-${number}`);
    scans += 1;
  }
  await scan('o-he', '何雄梅', ids(['何雄梅']), 'o-he-2');
  say('签到情况', `扫码签到 ${scanned} 人（${scans} 户扫码），重复扫码被拒绝 1 次`);

  // 刘奶奶 (傅红's mother-in-law) and 郭家's grandmother have no phone: 傅红 picks them from the register.
  const pick = async (query: string, relation: string) => {
    const found = ok<{ members: (Picked & { relation: string })[] }>(
      await call('points', 'activities.members', { activityId: activity.id, query }, 'o-fu'),
    ).members.find((m) => m.relation === relation && !m.checkedIn);
    if (!found) throw new Error(`no ${relation} to pick for ${query}`);
    const added = ok<{ memberName: string }>(
      await call(
        'points',
        'activities.addOnBehalf',
        { activityId: activity.id, requestId: `demo-behalf-${found.memberId}`, memberId: found.memberId },
        'o-fu',
      ),
    );
    say(
      '傅红',
      `选人代签：${added.memberName}（${found.householdNumber}号户 ${found.headName}家，搜索“${query}”），已记入操作日志`,
    );
  };
  await pick('刘', '父母');
  await pick('7', '父母');
  const onBehalf = 2;
  ok(await call('points', 'activities.checkOut', { code: await code() }, 'o-wan'));
  say('万有志', '提前离开，扫码签退');

  await clock('+2h');
  const late = await household('11');
  await scan(linked['11'], late.who, late.ids.slice(0, 1), 'household-11');

  scene('签到名单：提交与确认');
  const submitted = ok<{ activity: { checkedIn: number } }>(
    await call('points', 'activities.submit', { activityId: activity.id }, 'o-fu'),
  );
  say('傅红', `提交签到名单 ${submitted.activity.checkedIn} 人（扫码 ${scanned} 人，代签 ${onBehalf} 人）`);
  const refused = await call('points', 'activities.confirm', { activityId: activity.id }, 'o-fu');
  if (!refused.ok) say('傅红想自己确认', refused.error.message);
  let posted = 0;
  for (let remaining = 1; remaining > 0;) {
    const confirmed = ok<{ posted: number; remaining: number }>(
      await call('points', 'activities.confirm', { activityId: activity.id }, 'o-luo'),
    );
    posted += confirmed.posted;
    remaining = confirmed.remaining;
  }
  say('罗亚倩', `确认名单：${posted} 人各记“${volunteering.title}” +1分`);
  const ledger = ok<{
    entries: {
      reason: string;
      memberName: string;
      pointsText: string;
      recordedByName: string;
      approvedByName: string;
    }[];
  }>(await call('points', 'ledger.list', {}, 'o-fu'));
  for (const e of ledger.entries.filter((x) => x.reason === `参加活动：${activity.title}`))
    say(
      '傅红家的积分明细',
      `${e.reason}｜${e.memberName}｜${e.pointsText}（记录：${e.recordedByName}，审核：${e.approvedByName}）`,
    );
}

interface Identified {
  familyId: string;
  familyName: string;
  available: number;
  suspended: boolean;
}

/** A morning at the central shop: a card tap, a QR code from another village, a wish, the settlement, the fund. */
async function shopMorning(
  call: Call & { lastDbRequests: () => number },
  town: Awaited<ReturnType<typeof buildTown>>,
  month: string,
): Promise<void> {
  scene('积分卡');
  const he = town.banzhu.members['何雄梅'];
  const bound = ok<{ card: { uid: string }; token: string }>(
    await call(
      'shop',
      'cards.bind',
      { uid: '04:5A:21:9C:33:80:01', memberId: he.id, writesToken: true },
      'o-he',
    ),
  );
  say('何雄梅', `手机碰卡绑定积分卡 ${bound.card.uid}，卡内写入签名`);

  scene('中心超市的一个上午');
  const clerk = 'o-hu';
  const card = { uid: bound.card.uid, token: bound.token };
  const who = ok<Identified>(await call('shop', 'counter.identify', { shopId: CENTRAL_SHOP, card }, clerk));
  say(
    '胡焱（收银员）刷卡',
    `${who.familyName}，可用 ${formatPoints(who.available)} 分${who.suspended ? '，暂停兑换' : ''}（${call.lastDbRequests()} 次数据库请求）`,
  );
  /** The clerk redeems at the central shop's counter: the order's points and what the family has left. */
  const redeem = async (input: ActionInput<'shop', 'counter.redeem'>) =>
    ok<{ order: { totalPoints: number }; available: number }>(
      await call('shop', 'counter.redeem', input, clerk),
    );
  const first = await redeem({
    requestId: 'demo-order-0001',
    shopId: CENTRAL_SHOP,
    familyId: who.familyId,
    card,
    items: [
      { goodsId: `${CENTRAL_SHOP}-G029`, quantity: 1 },
      { goodsId: `${CENTRAL_SHOP}-G001`, quantity: 1 },
    ],
  });
  say(
    '小票',
    `兑换 ${formatPoints(first.order.totalPoints)} 分，剩余 ${formatPoints(first.available)} 分，下次再来`,
  );

  const qr = ok<{ token: string }>(await call('shop', 'qr.issue', {}, 'o-tian'));
  const tian = ok<Identified>(
    await call('shop', 'counter.identify', { shopId: CENTRAL_SHOP, qr: qr.token }, clerk),
  );
  say('胡焱扫码', `${tian.familyName}（石院村，出示小程序二维码），可用 ${formatPoints(tian.available)} 分`);
  const second = await redeem({
    requestId: 'demo-order-0002',
    shopId: CENTRAL_SHOP,
    familyId: tian.familyId,
    qr: qr.token,
    items: [{ goodsId: `${CENTRAL_SHOP}-G003`, quantity: 1 }],
  });
  say(
    '小票',
    `兑换 ${formatPoints(second.order.totalPoints)} 分，剩余 ${formatPoints(second.available)} 分；石院村基金支付成本`,
  );

  scene('心愿定制');
  const wish = ok<{ wish: { id: string } }>(
    await call(
      'shop',
      'wishes.request',
      { requestId: 'demo-wish-0001', kind: 'labour', description: '家里劳力不足，请人帮忙收割稻谷' },
      'o-fu',
    ),
  ).wish;
  say('傅红', '申请心愿：请人帮忙收割稻谷');
  ok(await call('shop', 'wishes.quote', { wishId: wish.id, points: 100, note: '两人一天' }, 'o-luo'));
  ok(await call('shop', 'wishes.accept', { wishId: wish.id, quotePoints: 100 }, 'o-fu'));
  say('罗亚倩', '报价10分，傅红确认，积分冻结');
  ok(
    await call(
      'shop',
      'wishes.done',
      { wishId: wish.id, deliveredQuantity: 800, deliveredUnit: '斤', costFen: 20000 },
      'o-luo',
    ),
  );
  say('罗亚倩', '代工完成：收割稻谷800斤，扣除冻结的10分');

  scene('月度结算与基金健康');
  const health = ok<{
    villages: {
      villageId: string;
      villageName: string;
      balanceFen: number;
      outstandingPoints: number;
      status: string;
    }[];
  }>(await call('shop', 'fund.health', {}, DEMO_TOWN_ADMIN));
  const nameOf = (id: string) => health.villages.find((v) => v.villageId === id)?.villageName ?? id;
  const settle = ok<{ villages: { villageId: string; owesFen: number }[] }>(
    await call('shop', 'fund.settlement', { shopId: CENTRAL_SHOP, month }, DEMO_TOWN_ADMIN),
  );
  for (const v of settle.villages)
    say('结算单', `${nameOf(v.villageId)}应付中心超市 ${(v.owesFen / 100).toFixed(2)} 元`);
  const label: Record<string, string> = { healthy: '充足', watch: '关注', short: '不足' };
  for (const v of health.villages.filter((x) => x.outstandingPoints > 0 || x.villageId === 'banzhu')) {
    say(
      '基金池',
      `${v.villageName}：余额 ${(v.balanceFen / 100).toFixed(2)} 元，未兑换积分 ${formatPoints(v.outstandingPoints)} 分，${label[v.status] ?? v.status}`,
    );
  }
}

async function blackBoardId(call: Call): Promise<string> {
  const res = await call('points', 'boards.list', { board: 'black' }, 'o-hu');
  return ok<{ boards: { id: string }[] }>(res).boards[0].id;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
