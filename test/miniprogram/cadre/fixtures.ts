/** Shared fixtures for the cadre-side page tests: sessions with roles, the town's villages, queue items. */
import type { RoleGrantView, SessionMeOutput, VillageView } from '../../../miniprogram/contract/accounts';
import type { ReviewItemView } from '../../../miniprogram/contract/points';
import { ok } from '../harness';
import { claimView } from '../views';

export type { Answers } from '../harness';

export const villages: VillageView[] = [
  {
    id: 'v1',
    name: '斑竹村',
    settings: { nameDisplay: 'full', noticeDays: 7 },
    groups: [
      { id: 'g1', name: '一组' },
      { id: 'g2', name: '二组' },
    ],
  },
  {
    id: 'v2',
    name: '大路村',
    settings: { nameDisplay: 'masked', noticeDays: 5 },
    groups: [{ id: 'g9', name: '三组' }],
  },
];

export const grant = (
  role: RoleGrantView['role'],
  scope: RoleGrantView['scope'],
  label = '',
): RoleGrantView => ({
  role,
  scope,
  label,
});

export const CADRE = grant('villageCadre', { kind: 'village', id: 'v1' }, '村干部');
export const SUPERVISOR = grant('supervisor', { kind: 'village', id: 'v1' }, '积分监督员');
export const GROUP_LEADER = grant('groupLeader', { kind: 'group', id: 'g2', villageId: 'v1' }, '村民小组长');
export const TOWN_ADMIN = grant('townAdmin', { kind: 'town', id: 't1' }, '镇管理员');
export const VILLAGER = grant('villager', { kind: 'family', id: 'f9' }, '村民');

export const session = (roles: RoleGrantView[], name = '李书记') =>
  ok<SessionMeOutput>({
    openid: 'o-li',
    name,
    memberId: 'm-li',
    familyId: 'f-li',
    villageId: 'v1',
    roles,
  });

export const villagesList = ok({ villages });

/** `accounts/families.list` of one group of 斑竹村: 王建国's family f1 (户号 001) and 何雄梅's f2 (002), no points. */
export const familiesList = (groupId: string) =>
  ok({
    families: [
      { id: 'f1', householdNumber: '001', headName: '王建国', groupId, available: 0, suspendedUntil: null },
      { id: 'f2', householdNumber: '002', headName: '何雄梅', groupId, available: 0, suspendedUntil: null },
    ],
  });

export const queueItem = (over: Partial<ReviewItemView>): ReviewItemView => ({
  ...claimView(),
  conflict: null,
  ...over,
});
