/** One activity as the points function shows it (斑竹村's river clean-up, 11:00–13:00 on the test day), for page tests. */
import type { ActivityView } from '../../miniprogram/contract/points';

export const activityView = (over: Partial<ActivityView> = {}): ActivityView => ({
  id: 'a1',
  villageId: 'v1',
  villageName: '斑竹村',
  title: '河道清理志愿服务',
  ruleTitle: '参加一次志愿活动',
  points: 10,
  place: '斑竹村村委会',
  startAt: '2026-11-20T03:00:00.000Z',
  endAt: '2026-11-20T05:00:00.000Z',
  timeText: '11月20日 11:00–13:00',
  capacity: 0,
  allowFamily: false,
  status: 'open',
  statusLabel: '报名签到中',
  checkedIn: 2,
  signedUp: 0,
  createdByName: '傅红',
  submittedByName: null,
  confirmedByName: null,
  posted: 0,
  skipped: 0,
  ...over,
});
