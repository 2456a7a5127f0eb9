// A visitor who is not signed in: the pages anyone may open log nothing in the console —
// not even an answered error status, which the shared fixture lets through — no request
// of theirs answers with an error, and the icon is fetched once.
import { expect, test } from './fixtures';
import { appTookOver } from './helpers';

const VISITOR_PAGES: [string, string][] = [
  ['/', 'Find the software your team needs'],
  ['/products?q=crm', 'Search results'],
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
