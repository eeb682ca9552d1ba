/** 红黑榜: red and black tabs, names exactly as the server gives them, suspension end on black entries. */
import type { BoardView } from '../../../miniprogram/contract/points';
import { backend, callsTo, fail, ok, openPage } from '../harness';

const red: BoardView = {
  id: 'b1',
  board: 'red',
  name: '何*梅',
  title: '拾金不昧',
  description: '捡到钱包交还失主',
  points: 20,
  pointsText: '+2',
  date: '2026-11-03',
  status: 'published',
  suspensionEndsAt: null,
};
const black: BoardView = {
  id: 'b2',
  board: 'black',
  name: '万*家',
  title: '占道堆放建筑垃圾',
  description: '',
  points: -30,
  pointsText: '-3',
  date: '2026-10-20',
  status: 'published',
  suspensionEndsAt: '2027-01-19T16:00:00.000Z',
};

interface BoardsMethods {
  onLoad(options?: { board?: string }): Promise<void>;
}
const openBoards = () => openPage<BoardsMethods & Record<string, never>>('pages/boards/index');

beforeEach(() => {
  jest.clearAllMocks();
});

it('shows the red board first, with names as given', async () => {
  backend({ 'points/boards.list': ok({ villageName: '斑竹村', boards: [red] }) });
  const { methods, text } = await openBoards();

  await methods.onLoad({});

  expect(callsTo('points/boards.list')[0]).toEqual({ board: 'red', offset: 0 });
  expect(text()).toContain('斑竹村红榜：表彰好人好事');
  expect(text()).toContain('何*梅 +2 分 拾金不昧 捡到钱包交还失主 2026年11月3日');
});

it('switches to the black board and shows the deduction and the end of the suspension', async () => {
  backend({
    'points/boards.list': (input) =>
      ok({ villageName: '斑竹村', boards: input.board === 'black' ? [black] : [red] }),
  });
  const { methods, tap, text } = await openBoards();
  await methods.onLoad({});

  await tap('#tab-black');

  expect(callsTo('points/boards.list')[1]).toEqual({ board: 'black', offset: 0 });
  expect(text()).toContain('万*家 -3 分 占道堆放建筑垃圾');
  expect(text()).toContain('暂停评比至2027年1月20日');
  expect(text()).not.toContain('拾金不昧');
});

it('offers 提出异议 against a board entry', async () => {
  backend({ 'points/boards.list': ok({ villageName: '斑竹村', boards: [red] }) });
  const { methods, tap } = await openBoards();
  await methods.onLoad({});

  await tap('#object-b1');

  const url = (wx.navigateTo as jest.Mock).mock.calls[0][0].url as string;
  expect(url).toMatch(/^\/pages\/objections\/index\?type=board&id=b1&label=/);
});

it('says when a board is empty, and shows errors with 重试', async () => {
  backend({ 'points/boards.list': ok({ villageName: '斑竹村', boards: [] }) });
  let opened = await openBoards();
  await opened.methods.onLoad({ board: 'black' });
  expect(opened.text()).toContain('黑榜暂无上榜记录');

  backend({ 'points/boards.list': fail('NETWORK', '网络连接失败，请检查网络后重试') });
  opened = await openBoards();
  await opened.methods.onLoad({});
  expect(opened.text()).toContain('网络连接失败，请检查网络后重试');
  backend({ 'points/boards.list': ok({ villageName: '斑竹村', boards: [red] }) });
  await opened.tap('#state >>> #retry', '.t-button');
  expect(opened.text()).toContain('拾金不昧');
});
