/**
 * What `npm run shots` renders: every page of miniprogram/app.json, each opened as the demo identity that uses
 * it, plus the states that matter (empty, backend failing, care mode, not linked, suspended family, the counter
 * with a cart within and over the balance). Plain data, read by the CLI (Node) and the render stage (jsdom).
 */
import fs from 'node:fs';
import path from 'node:path';

/** What the render stage does to reach a state beyond opening the page. */
export type Setup =
  | 'none'
  /** The app's backend is a closed port: every call fails as a network error. */
  | 'backend-down'
  /** 关怀模式 on (app.globalData.careMode and the stored preference). */
  | 'care-mode'
  /** The counter identifies 何雄梅's family by the QR code she shows, then fills a cart within her balance. */
  | 'counter-cart'
  /** As counter-cart, with a cart that costs more than her balance. */
  | 'counter-over-balance'
  /** The counter identifies her family by QR code (run after the black board has suspended it). */
  | 'counter-identify'
  /** 活动签到: 发起活动 tapped, the empty form. */
  | 'activity-create'
  /** 活动签到: the organiser's seeded activity opened (its check-in code). */
  | 'activity-open'
  /** As activity-open, with 选人代签's register search open. */
  | 'activity-pick'
  /** 异议详情: 傅红's objection to a month's results opened, 异议成立 chosen, two families' adjustments added. */
  | 'objection-adjust'
  /** 异议处理 as a cadre: that objection upheld with its adjustments, waiting for a second cadre. */
  | 'objection-pending'
  /** 申报审核: 全部通过 tapped and run to the end (the chunks, what was approved, what could not be and why). */
  | 'review-approve-all'
  /** 户籍与角色: a register of 250 further households chosen, uploaded and imported in two chunks to the end. */
  | 'households-import'
  /** 户籍与角色: such a register with two bad rows chosen and uploaded: refused whole, its problems listed. */
  | 'households-import-refused'
  /**
   * As households-import, the next 250 households, while the town admin imports four of them between the first
   * chunk and the second: those four are skipped, each with why.
   */
  | 'households-import-skipped';

export interface Shot {
  /** `<page>--<state>`: the PNG's and HTML's file name. */
  name: string;
  /** The page's path in miniprogram/, e.g. `pages/home/index`. */
  page: string;
  state: string;
  /** The demo identity the page is opened as. */
  openid: string;
  setup: Setup;
  /** Runs after the black board has suspended 何雄梅's family (these come last). */
  suspended?: boolean;
  /** The text of the primary button the layout report looks for on the first screen. */
  primary?: string;
  /** What a person would read in the index about this shot. */
  caption: string;
}

const ROOT = path.resolve(__dirname, '..', '..');

interface AppJson {
  pages: string[];
  subpackages?: { root: string; name?: string; pages: string[] }[];
}

/** Every page of app.json with its short name: `home`, `cadre-monthly`, `shop-counter`. */
export function appPages(root = ROOT): { page: string; slug: string }[] {
  const app = JSON.parse(fs.readFileSync(path.join(root, 'miniprogram', 'app.json'), 'utf8')) as AppJson;
  const slug = (prefix: string, page: string) =>
    [prefix, page.split('/').slice(-2, -1)[0]].filter(Boolean).join('-');
  return [
    ...app.pages.map((page) => ({ page, slug: slug('', page) })),
    ...(app.subpackages ?? []).flatMap((sub) =>
      sub.pages.map((p) => ({ page: `${sub.root}/${p}`, slug: slug(sub.name ?? sub.root, p) })),
    ),
  ];
}

/** Who opens each page: the villager for the main package, the role that works there for the others. */
const IDENTITY: Record<string, { openid: string; who: string }> = {
  'packageCadre/review/index': { openid: 'o-luo', who: '村干部罗亚倩' },
  'packageCadre/monthly/index': { openid: 'o-fu', who: '一组组长傅红' },
  'packageCadre/boards/index': { openid: 'o-luo', who: '村干部罗亚倩' },
  'packageCadre/months/index': { openid: 'o-luo', who: '村干部罗亚倩' },
  'packageCadre/objections/index': { openid: 'o-wan', who: '监督员万有志' },
  'packageCadre/objection/index': { openid: 'o-wan', who: '监督员万有志' },
  'packageCadre/households/index': { openid: 'o-luo', who: '村干部罗亚倩' },
  'packageCadre/stats/index': { openid: 'o-luo', who: '村干部罗亚倩' },
  'packageCadre/town/index': { openid: 'o-admin', who: '镇管理员' },
  'packageCadre/rules/index': { openid: 'o-admin', who: '镇管理员' },
  'packageCadre/report/index': { openid: 'o-luo', who: '村干部罗亚倩' },
  'packageCadre/activities/index': { openid: 'o-fu', who: '一组组长傅红' },
  'packageShop/counter/index': { openid: 'o-hu', who: '收银员胡焱' },
  'packageShop/goods/index': { openid: 'o-hu', who: '收银员胡焱' },
  'packageShop/wishes/index': { openid: 'o-luo', who: '村干部罗亚倩' },
  'packageShop/fund/index': { openid: 'o-luo', who: '村干部罗亚倩' },
  'packageShop/champions/index': { openid: 'o-luo', who: '村干部罗亚倩' },
  'packageShop/settlement/index': { openid: 'o-luo', who: '村干部罗亚倩' },
};
const VILLAGER = { openid: 'o-he', who: '村民何雄梅' };

/** A villager of another village whose family has no history yet: the empty lists. */
const EMPTY_FAMILY = 'o-tian';
const EMPTY_PAGES = ['home', 'ledger', 'my-claims', 'objections', 'orders', 'wishes', 'boards'];
/** Pages whose look depends on the family being suspended (black board). */
const SUSPENDED_PAGES = ['home', 'ranking', 'shop', 'claim'];

export function allShots(root = ROOT): Shot[] {
  const shots: Shot[] = [];
  const add = (s: Omit<Shot, 'name'>, slug: string) => shots.push({ name: `${slug}--${s.state}`, ...s });
  const suspended: Shot[] = [];
  for (const { page, slug } of appPages(root)) {
    const who = IDENTITY[page] ?? VILLAGER;
    const main = page.startsWith('pages/');
    add({ page, state: 'demo', openid: who.openid, setup: 'none', caption: `演示镇，${who.who}` }, slug);
    add(
      {
        page,
        state: 'error',
        openid: who.openid,
        setup: 'backend-down',
        caption: `后台连不上，${who.who}`,
      },
      slug,
    );
    if (main) {
      add({ page, state: 'care', openid: who.openid, setup: 'care-mode', caption: '关怀模式（大字）' }, slug);
    }
    if (EMPTY_PAGES.includes(slug)) {
      add(
        { page, state: 'empty', openid: EMPTY_FAMILY, setup: 'none', caption: '还没有记录的家庭（田大贵）' },
        slug,
      );
    }
    if (slug === 'home') {
      add(
        { page, state: 'unlinked', openid: 'o-stranger', setup: 'none', caption: '微信还没绑定家庭' },
        slug,
      );
    }
    if (slug === 'shop-counter') {
      const clerk = { page, openid: who.openid, primary: '确认兑换' };
      add(
        { ...clerk, state: 'cart', setup: 'counter-cart', caption: '扫何雄梅家的码，购物车未超出余额' },
        slug,
      );
      add(
        {
          ...clerk,
          state: 'over-balance',
          setup: 'counter-over-balance',
          caption: '扫何雄梅家的码，购物车超出余额',
        },
        slug,
      );
      suspended.push({
        page,
        openid: who.openid,
        name: `${slug}--suspended`,
        state: 'suspended',
        setup: 'counter-identify',
        suspended: true,
        caption: '扫码的家庭上了黑榜（暂停兑换）',
      });
    }
    if (slug === 'cadre-activities') {
      const organiser = { page, openid: who.openid };
      add(
        {
          ...organiser,
          state: 'create',
          setup: 'activity-create',
          primary: '发起活动',
          caption: '发起活动：填写表单',
        },
        slug,
      );
      add(
        {
          ...organiser,
          state: 'code',
          setup: 'activity-open',
          caption: '打开傅红组织的活动：签到码与签到名单',
        },
        slug,
      );
      add(
        { ...organiser, state: 'pick', setup: 'activity-pick', caption: '选人代签：按姓名或户号搜索村民' },
        slug,
      );
    }
    if (SUSPENDED_PAGES.includes(slug)) {
      suspended.push({
        page,
        name: `${slug}--suspended`,
        state: 'suspended',
        openid: VILLAGER.openid,
        setup: 'none',
        suspended: true,
        caption: '何雄梅家上了黑榜（暂停评比与兑换）',
      });
    }
  }
  // Last: they raise and decide an objection to a month's results, which the other shots should not show.
  const objection = appPages(root).find((p) => p.page === 'packageCadre/objection/index');
  const objections = appPages(root).find((p) => p.page === 'packageCadre/objections/index');
  const late: Shot[] = [];
  if (objection)
    late.push({
      page: objection.page,
      name: `${objection.slug}--adjust`,
      state: 'adjust',
      openid: 'o-wan',
      setup: 'objection-adjust',
      caption: '对月度结果的异议成立：为两户录入积分调整',
    });
  if (objections)
    late.push({
      page: objections.page,
      name: `${objections.slug}--pending`,
      state: 'pending',
      openid: 'o-luo',
      setup: 'objection-pending',
      caption: '村干部罗亚倩：待确认的积分调整',
    });
  // Then: it approves the village's pending claims, which every earlier shot may show as pending.
  const review = appPages(root).find((p) => p.page === 'packageCadre/review/index');
  if (review)
    late.push({
      page: review.page,
      name: `${review.slug}--approve-all`,
      state: 'approve-all',
      openid: 'o-luo',
      setup: 'review-approve-all',
      caption: '村干部罗亚倩：全部通过之后（通过几条、哪些未能通过及原因）',
    });
  // After those: the import adds 250 households to 斑竹村, which every earlier shot of its families would show
  // (and objection-pending picks two of them by 户号). The refused sheet imports nothing; it goes first, and the
  // skipped one's households are the next 250.
  const households = appPages(root).find((p) => p.page === 'packageCadre/households/index');
  if (households) {
    const cadre = { page: households.page, openid: 'o-luo' };
    late.push(
      {
        ...cadre,
        name: `${households.slug}--import-refused`,
        state: 'import-refused',
        setup: 'households-import-refused',
        caption: '村干部罗亚倩导入户籍表：有两行出错，整表未导入（列出每处问题）',
      },
      {
        ...cadre,
        name: `${households.slug}--import`,
        state: 'import',
        setup: 'households-import',
        caption: '村干部罗亚倩导入250户的户籍表（分两批）之后',
      },
      {
        ...cadre,
        name: `${households.slug}--import-skipped`,
        state: 'import-skipped',
        setup: 'households-import-skipped',
        caption: '再导入250户，其间镇管理员已导入其中4户：这4户未导入，逐户说明原因',
      },
    );
  }
  return [...shots, ...suspended, ...late];
}
