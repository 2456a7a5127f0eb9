// axe-core on every route, in both roles that see different pages, and on open dialogs and
// error states: no serious or critical violation of WCAG 2.2 A/AA. A gate of
// `cargo xtask test` (each finding fails the run, with the rule and the element).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from './fixtures';
import { buyImageMonth, logIn } from './helpers';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** Waits until the page has drawn its content, then lists axe's serious and critical findings. */
async function seriousFindings(page: Page): Promise<string[]> {
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

async function checkRoutes(page: Page, paths: string[]) {
  for (const path of paths) {
    await page.goto(path);
    expect.soft(await seriousFindings(page), `axe on ${path}`).toEqual([]);
  }
}

test('anonymous routes, in English and in Chinese', async ({ page }) => {
  const paths = ['/', '/products', '/products?category=databases&q=sql', '/products/1', '/products/1?sku=2', '/login', '/terms', '/no-such-page'];
  await checkRoutes(page, paths);
  await page.addInitScript(() => window.localStorage.setItem('bazaar.locale', 'zh-CN'));
  await checkRoutes(page, ['/', '/products?category=databases', '/products/1', '/login']);
});

test('the login error state', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('User name').fill('lin.wei');
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('main').getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert').first()).toBeVisible();
  expect(await seriousFindings(page)).toEqual([]);
});

test("a buyer's routes, Resource Details and an open dialog", async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  await checkRoutes(page, ['/favorites', '/orders', '/apps', '/renewals', '/messages', '/supervision', '/account', '/purchase/1']);

  // Resource Details of an app just bought, and its Unsubscribe dialog open.
  const id = await buyImageMonth(page.request, Date.now());
  await page.goto(`/apps/${id}`);
  expect.soft(await seriousFindings(page), 'axe on Resource Details').toEqual([]);
  await page.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(page.getByRole('dialog', { name: /^Unsubscribe from / })).toBeVisible();
  expect.soft(await seriousFindings(page), 'axe with the Unsubscribe dialog open').toEqual([]);
  await page.goto(`/orders/${id}`);
  expect.soft(await seriousFindings(page), 'axe on the order page').toEqual([]);
});

test("a seller's and operations' routes", async ({ browser }) => {
  const seller = await (await browser.newContext()).newPage();
  await logIn(seller, 'sam.okafor', 'Sam Okafor');
  await checkRoutes(seller, ['/supervision', '/supervision/templates', '/seller/notices']);
  const operations = await (await browser.newContext()).newPage();
  await logIn(operations, 'zhang.min', 'Zhang Min');
  await checkRoutes(operations, ['/supervision?appeal=open']);
});
