// Shared steps for the specs: they act as a user would, through labels and roles.
import { expect, request, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'bazaar-demo';

/** Logs in through the login page and waits for the header to show the account. */
export async function logIn(page: Page, username: string, displayName: string) {
  await page.goto('/login');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('header-account-name')).toHaveText(displayName);
}

export const BASE_URL = process.env.BAZAAR_BASE_URL ?? 'http://127.0.0.1:8080';

/**
 * The header the app's own pages send with state-changing requests. The server refuses a
 * POST, PUT or DELETE that shows neither `Origin` nor `Sec-Fetch-Site` (cross-site request
 * forgery), so API calls made by a test say where they come from too.
 */
export const SAME_ORIGIN = { origin: new URL(BASE_URL).origin };

/** Moves the demo clock forward as operations staff, the only role that may. */
export async function advanceDemoClock(seconds: number) {
  const operations = await request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: SAME_ORIGIN });
  const login = await operations.post('/api/v1/session', { data: { username: 'zhang.min', password: DEMO_PASSWORD } });
  expect(login.status(), await login.text()).toBe(200);
  const moved = await operations.post('/api/v1/demo/clock', { data: { seconds } });
  expect(moved.status(), await moved.text()).toBe(200);
  await operations.dispose();
}
