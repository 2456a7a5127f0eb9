// The frame every feature stands on: login, language, logout, protected pages.
import { expect, test } from './fixtures';
import { DEMO_PASSWORD, logIn, appReady } from './helpers';

test('a demo buyer logs in and sees their name in the header', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  await expect(page.getByRole('link', { name: 'Lin Wei' })).toBeVisible();
  // The session is in an HttpOnly cookie, never in script-readable storage.
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === 'bazaar_session');
  expect(session?.httpOnly).toBe(true);
  expect(await page.evaluate(() => document.cookie)).not.toContain('bazaar_session');
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain('bazaar_session');
});

test('a wrong password is reported on the form', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('User name').fill('lin.wei');
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('main').getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong user name or password.');
  // What the user typed is kept.
  await expect(page.getByLabel('User name')).toHaveValue('lin.wei');
});

test('switching the language changes the page and survives a reload', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Find the software your team needs');
  await page.getByTestId('language-switch').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('为团队找到合适的软件');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('为团队找到合适的软件');
  await expect(page.getByRole('link', { name: '商品目录', exact: true })).toBeVisible();
  await page.getByTestId('language-switch').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Find the software your team needs');
});

test('logging out ends the session', async ({ page }) => {
  await logIn(page, 'maria.santos', 'Maria Santos');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible();
  await expect(page.getByTestId('header-account-name')).toHaveCount(0);
  // The server forgot the session too: a reload stays logged out.
  await page.reload();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible();
  const response = await page.request.get('/api/v1/session');
  expect(response.status()).toBe(204);
});

test('a protected page sends a logged-out visitor to login and back', async ({ page }) => {
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=%2Faccount/);
  await expect(page.getByText('Please log in to see this page.')).toBeVisible();
  await page.getByLabel('User name').fill('chen.jie');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'My Account' })).toBeVisible();
  await expect(page.getByText('Harbor Cloud Partners')).toBeVisible();
});

test('an unknown address shows the not-found page', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the home page' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('the whole frame works with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  // Wait for the app to render before pressing keys: the wasm loads asynchronously.
  await appReady(page, 'home-ready');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
});
