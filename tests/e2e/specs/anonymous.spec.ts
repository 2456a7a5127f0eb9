// A visitor who is not signed in: the pages anyone may open log nothing in the console —
// not even an answered error status, which the shared fixture lets through — no request
// of theirs answers with an error, and the icon is fetched once.
import { expect, test } from './fixtures';
import { appTookOver } from './helpers';

const VISITOR_PAGES: [string, string][] = [
  ['/', 'Find the software your team needs'],
  ['/products?q=crm', 'Results for “crm”'],
  ['/products/1', 'Northwind CRM Cloud'],
  ['/login', 'Log in to Bazaar'],
];

for (const [path, heading] of VISITOR_PAGES) {
  test(`a visitor's ${path} logs no error and asks nothing that fails`, async ({ page }) => {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
    await page.goto(path);
    await appTookOver(page);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(heading);
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
  });
}

test('the login page names the app once in its title, in both languages', async ({ page }) => {
  await page.goto('/login');
  await appTookOver(page);
  await expect(page).toHaveTitle('Log in — Bazaar');
  await page.getByTestId('language-switch').click();
  await expect(page).toHaveTitle('登录 — Bazaar 云市场');
  await page.getByTestId('language-switch').click();
});

test('a cold load fetches the icon from the server once', async ({ page }) => {
  // The browser's network log (Chromium's DevTools protocol) says which answers came from
  // its cache: the app changes the address as it starts, and the browser asks for the
  // icon again; that second ask must not reach the server.
  const network = await page.context().newCDPSession(page);
  await network.send('Network.enable');
  const fromServer: number[] = [];
  network.on('Network.responseReceived', (event) => {
    const { url, status, fromDiskCache, fromPrefetchCache } = event.response;
    if (url.endsWith('/favicon.svg') && !fromDiskCache && !fromPrefetchCache) fromServer.push(status);
  });
  const servedFromMemory = new Set<string>();
  network.on('Network.requestServedFromCache', (event) => servedFromMemory.add(event.requestId));
  await page.goto('/');
  await appTookOver(page);
  await page.waitForLoadState('networkidle');
  await expect.poll(() => fromServer.length).toBeGreaterThan(0);
  await page.waitForTimeout(1_000);
  expect(fromServer).toEqual([200]);
});
