/**
 * The demo town, 福禄镇: seven villages (斑竹村 runs the central shop), generated deterministically, with the
 * people the demo and the mini-program's developer switch act as. Also used, scaled up, by the benchmark.
 */
import type { SetupFile, SetupPerson, SetupVillage } from './setup-town';

export const DEMO_TOWN_ADMIN = 'o-admin';

/** Environment the functions get locally: bootstrap admin, town id, subscription template ids (local stand-ins). */
export const DEMO_FUNCTION_ENV: Record<string, string> = {
  TOWN_ADMINS: DEMO_TOWN_ADMIN,
  TOWN_ID: 'fulu',
  TPL_CLAIM_DECIDED: 'local-tpl-claim-decided',
  TPL_OBJECTION_DECIDED: 'local-tpl-objection-decided',
  TPL_BLACK_BOARD: 'local-tpl-black-board',
  CARD_TOKEN_SECRET: 'local-card-token-secret',
  QR_SECRET: 'local-qr-code-secret',
  TPL_WISH_UPDATED: 'local-tpl-wish-updated',
};

export const DEMO_IDENTITIES = [
  { openid: DEMO_TOWN_ADMIN, label: '镇管理员' },
  { openid: 'o-luo', label: '罗亚倩（斑竹村干部）' },
  { openid: 'o-he', label: '何雄梅（斑竹村村民）' },
  { openid: 'o-fu', label: '傅红（斑竹村一组组长）' },
  { openid: 'o-wan', label: '万有志（斑竹村监督员）' },
  { openid: 'o-hu', label: '胡焱（中心超市收银员）' },
  { openid: 'o-tian', label: '田大贵（石院村村民）' },
];

const SURNAMES =
  '王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武';
const GIVEN =
  '建国秀英桂兰德华明华志强玉梅淑芬春花国庆红梅小燕金凤永福海军光明丽华文斌晓东小红春生秋菊冬梅家兴世荣';
const RELATIONS = ['配偶', '子女', '父母'];

/** A small deterministic generator, so the demo town is the same on every machine. */
function generator(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

function personName(next: (n: number) => number, surname?: string): string {
  const s = surname ?? SURNAMES[next(SURNAMES.length)];
  const i = next(GIVEN.length / 2) * 2;
  return s + GIVEN.slice(i, i + (next(3) === 0 ? 1 : 2));
}

const HEADER = '户号,村民小组,姓名,与户主关系,是否党员,住址';

/**
 * A register of `families` households spread over the groups, with named people placed first; its household
 * numbers start at `first` (a village's further households: the rest of its register).
 */
export function registerCsv(
  villageName: string,
  groups: string[],
  families: number,
  seed: number,
  named: { head: string; group: string; relatives?: [name: string, relation: string][] }[] = [],
  first = 1,
): string {
  const next = generator(seed);
  const rows = [HEADER];
  for (let n = first; n < first + families; n += 1) {
    const fixed = named[n - first];
    const group = fixed?.group ?? groups[(n - 1) % groups.length];
    const head = fixed?.head ?? personName(next);
    const address = `${villageName}${group}${n}号`;
    rows.push(`${n},${group},${head},户主,${next(5) === 0 ? '是' : '否'},${address}`);
    // Children carry the head's surname; spouses and parents a name of their own.
    const relatives =
      fixed?.relatives ??
      Array.from({ length: next(4) }, (_, i): [string, string] => [
        personName(next, RELATIONS[i] === '子女' ? head[0] : undefined),
        RELATIONS[i],
      ]);
    for (const [name, relation] of relatives) rows.push(`${n},${group},${name},${relation},否,`);
  }
  return rows.join('\n');
}

export function demoTown(familiesPerVillage = 12): SetupFile {
  const banzhuPeople: SetupPerson[] = [
    { openid: 'o-luo', name: '罗亚倩', roles: ['villageCadre'] },
    { openid: 'o-he', name: '何雄梅' },
    { openid: 'o-fu', name: '傅红', roles: ['groupLeader'] },
    { openid: 'o-wan', name: '万有志', roles: ['supervisor'] },
    { openid: 'o-hu', name: '胡焱' },
  ];
  const banzhu: SetupVillage = {
    id: 'banzhu',
    name: '斑竹村',
    groups: ['一组', '二组', '三组'],
    nameDisplay: 'masked',
    registerCsv: registerCsv('斑竹村', ['一组', '二组', '三组'], Math.max(familiesPerVillage, 8), 1, [
      {
        head: '何雄梅',
        group: '一组',
        relatives: [
          ['何小军', '子女'],
          ['何婷婷', '子女'],
        ],
      },
      {
        head: '傅红',
        group: '一组',
        relatives: [
          ['刘国庆', '配偶'],
          ['刘奶奶', '父母'],
        ],
      },
      { head: '万有志', group: '二组' },
      { head: '罗亚倩', group: '二组' },
      { head: '胡焱', group: '三组' },
    ]),
    people: banzhuPeople,
  };
  const others: [string, string, string[]][] = [
    ['shiyuan', '石院村', ['一组', '二组']],
    ['shuangxing', '双星村', ['一组', '二组']],
    ['dapeng', '大鹏村', ['一组', '二组']],
    ['tianchi', '天池村', ['一组', '二组']],
    ['xinjie', '新街社区', ['一组', '二组']],
    ['fulu', '福禄村', ['一组', '二组']],
  ];
  const villages: SetupVillage[] = others.map(([id, name, groups], i) => ({
    id,
    name,
    groups,
    nameDisplay: i % 2 === 0 ? 'full' : 'masked',
    registerCsv: registerCsv(
      name,
      groups,
      familiesPerVillage,
      i + 2,
      id === 'shiyuan' ? [{ head: '田大贵', group: '一组' }] : [],
    ),
    people: id === 'shiyuan' ? [{ openid: 'o-tian', name: '田大贵' }] : [],
  }));
  return { name: '福禄镇', adminOpenid: DEMO_TOWN_ADMIN, villages: [banzhu, ...villages] };
}
