/** 首页 for now: a welcome with the way to 积分规则, and no points figures until the ledger exists. */
beforeEach(() => {
  jest.clearAllMocks();
});

async function openHomePage() {
  jest.resetModules();
  const { renderPage } = await import('../load-page');
  const page = renderPage('pages/home/index');
  (page.instance as unknown as { onLoad(): void }).onLoad();
  return { page, text: (): string => (page.dom?.textContent ?? '').replace(/\s+/g, ' ') };
}

it('welcomes the villager and offers the rules, without showing any points', async () => {
  // Act
  const { text } = await openHomePage();

  // Assess
  expect(text()).toContain('欢迎使用攒积分');
  expect(text()).toContain('积分规则');
  expect(text()).not.toMatch(/\d+(\.\d)?\s*分/);
  expect(wx.cloud.callFunction).not.toHaveBeenCalled();
});

it('goes to the 积分规则 tab when the entry is tapped', async () => {
  // Prepare
  const { page } = await openHomePage();

  // Act
  page.querySelector('#rules-entry')?.querySelector('.t-cell')?.dispatchEvent('tap');
  await new Promise((resolve) => setTimeout(resolve, 0));

  // Assess
  expect(wx.switchTab).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/rules/index' }));
});
