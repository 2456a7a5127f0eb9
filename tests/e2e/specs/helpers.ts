// Shared steps for the specs: they act as a user would, through labels and roles.
import { expect, request, type APIRequestContext, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'bazaar-demo';

/**
 * A page's "ready" marker (`home-ready`, `results-ready`) as the reader sees it. The shell of
 * index.html draws these pages with the same marker, and the app draws its own out of sight
 * until it takes over, so for a moment there are two; only one of them is ever visible.
 */
export function readyMarker(page: Page, name: 'home-ready' | 'results-ready') {
  return page.getByTestId(name).filter({ visible: true });
}

/** The app has taken over from the shell (it always removes the shell when it runs). */
export async function appTookOver(page: Page) {
  await expect(page.locator('[data-shell]')).toHaveCount(0);
}

/**
 * The app has taken over and shows its page's ready marker: for a test of the app on a page
 * the shell draws too, where the two pages' test ids would otherwise both be in the document.
 */
export async function appReady(page: Page, name: 'home-ready' | 'results-ready') {
  await appTookOver(page);
  await expect(page.getByTestId(name)).toBeVisible();
}

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

/** Waits until order `id` has completed (provisioning runs in the background). */
export async function completed(request: APIRequestContext, id: number) {
  await expect
    .poll(async () => (await (await request.get(`/api/v1/orders/${id}`)).json()).status, { timeout: 20_000 })
    .toBe('completed');
}

/** Buys one month of the Ubuntu server image (product 3) into a new VPC, paid from the balance. */
export async function buyImageMonth(request: APIRequestContext, run: number): Promise<number> {
  const vpc = await request.post('/api/v1/vpcs', { headers: SAME_ORIGIN, data: { name: `leave-${run}`, region: 'cn-north-4' } });
  expect(vpc.status(), await vpc.text()).toBe(201);
  const placed = await request.post('/api/v1/orders', {
    headers: { 'Idempotency-Key': `leave-image-${run}`, ...SAME_ORIGIN },
    data: {
      product_id: 3,
      configuration: { sku_id: 6, billing_mode: 'yearly_monthly', duration_months: 1, quantity: 1, region: 'cn-north-4' },
      vpc_id: (await vpc.json()).id,
      server_password: 'Harbor-Light42',
      accept_terms: true,
    },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const id = (await placed.json()).id as number;
  const paid = await request.post(`/api/v1/orders/${id}/payment`, { headers: SAME_ORIGIN, data: { method: 'balance' } });
  expect(paid.status(), await paid.text()).toBe(200);
  await completed(request, id);
  return id;
}
