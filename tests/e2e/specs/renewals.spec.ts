// Renewal Management, expiry phases and auto-renew, as a buyer meets them: the demo clock
// is moved forward (as operations staff) to bring each date about.
import { expect, test, type APIRequestContext, type Page } from './fixtures';
import { advanceDemoClock, logIn, SAME_ORIGIN } from './helpers';

const DAY = 86_400;

/** Buys one month of `product` (its first SKU) through the API and waits until it is set up. */
async function buyMonth(request: APIRequestContext, key: string, product: number, sku: number): Promise<number> {
  const placed = await request.post('/api/v1/orders', {
    headers: { 'Idempotency-Key': key, ...SAME_ORIGIN },
    data: {
      product_id: product,
      configuration: { sku_id: sku, billing_mode: 'yearly_monthly', duration_months: 1, quantity: 1, region: 'cn-north-4' },
      accept_terms: true,
      authorize_contact_sharing: true,
    },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const id = (await placed.json()).id as number;
  const paid = await request.post(`/api/v1/orders/${id}/payment`, { headers: SAME_ORIGIN, data: { method: 'card' } });
  expect(paid.status(), await paid.text()).toBe(200);
  await expect
    .poll(async () => (await (await request.get(`/api/v1/orders/${id}`)).json()).status, { timeout: 20_000 })
    .toBe('completed');
  return id;
}

const number = (id: number) => `BZ${String(id).padStart(8, '0')}`;
const row = (page: Page, id: number) => page.getByTestId('renewal-row').filter({ hasText: number(id) });

/** Moves the clock so that the app `id` of `request`'s buyer is `days` days from expiry. */
async function moveToDaysBeforeExpiry(request: APIRequestContext, id: number, days: number) {
  const order = await (await request.get(`/api/v1/orders/${id}`)).json();
  const clock = await (await request.get('/api/v1/renewals?page_size=1')).json();
  const seconds = Math.round((Date.parse(order.expires_at) - Date.parse(clock.server_now)) / 1000) - days * DAY;
  if (seconds > 0) await advanceDemoClock(seconds);
}

async function payWithBalance(page: Page) {
  await expect(page).toHaveURL(/\/orders\/\d+\/pay$/);
  await page.getByLabel('Account balance').check();
  await page.getByRole('button', { name: 'Confirm payment' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
}

test('within 7 days: two apps renewed in one payment show their new expiry dates', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  const run = Date.now();
  const crm = await buyMonth(page.request, `renew-crm-${run}`, 1, 1);
  const vault = await buyMonth(page.request, `renew-vault-${run}`, 10, 19);
  await moveToDaysBeforeExpiry(page.request, vault, 5);

  await page.getByRole('link', { name: 'Renewal Management' }).click();
  await page.getByRole('link', { name: 'Expiring within 7 days' }).click();
  await expect(page).toHaveURL(/show=within_7_days/);
  for (const id of [crm, vault]) {
    await expect(row(page, id).getByTestId('renewal-expiry')).toContainText(/in [1-7] days|tomorrow/);
    await expect(row(page, id).getByTestId('phase-badge')).toHaveText('Active');
    await row(page, id).getByRole('checkbox', { name: /^Select .* for renewal$/ }).check();
  }
  await row(page, vault).getByLabel('Renewal period').selectOption('3');
  await expect(page.getByTestId('renewal-bar')).toContainText('2 apps selected');
  await page.getByRole('button', { name: 'Renew selected' }).click();
  await payWithBalance(page);
  const lines = page.getByTestId('renewal-lines');
  await expect(lines).toContainText('Northwind CRM Cloud');
  await expect(lines).toContainText('BluePeak Secrets Vault');
  await expect(lines).toContainText('3 months');

  await page.goto('/renewals?show=within_7_days');
  await expect(page.getByRole('heading', { name: 'Renewal Management' })).toBeVisible();
  await expect(row(page, crm)).toHaveCount(0);
  await page.goto('/renewals');
  await expect(row(page, crm).getByTestId('renewal-expiry')).toContainText(/in (2\d|3\d) days/);
  await expect(row(page, vault).getByTestId('renewal-expiry')).toContainText(/in (8\d|9\d) days/);
});

test('a frozen app keeps its password locked until it is renewed from its banner', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  const id = await buyMonth(page.request, `frozen-${Date.now()}`, 1, 1);
  await moveToDaysBeforeExpiry(page.request, id, -16);

  await page.goto(`/apps/${id}`);
  await expect(page.getByTestId('phase-banner')).toContainText('Frozen since');
  await expect(page.getByTestId('password-locked')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Show password' })).toHaveCount(0);
  await expect(page.getByTestId('management-url').getByRole('link')).toHaveCount(0);
  // The API refuses too, with a reason.
  const refused = await page.request.post(`/api/v1/purchased-apps/${id}/credentials/reveal`, { headers: SAME_ORIGIN });
  expect(refused.status()).toBe(409);

  await page.getByTestId('phase-banner').getByRole('link', { name: 'Renew' }).click();
  await expect(page).toHaveURL(new RegExp(`/renewals\\?app=${id}`));
  await expect(row(page, id).getByRole('checkbox', { name: /^Select .* for renewal$/ })).toBeChecked();
  await expect(page.getByTestId('renewal-bar')).toContainText('1 app selected');
  await page.getByRole('button', { name: 'Renew selected' }).click();
  await payWithBalance(page);

  await page.goto(`/apps/${id}`);
  await expect(page.getByTestId('phase-badge')).toHaveText('Active');
  await expect(page.getByTestId('phase-banner')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Show password' })).toBeVisible();
});

test('auto-renew turned on renews once when the clock reaches 7 days before expiry', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  const id = await buyMonth(page.request, `auto-${Date.now()}`, 1, 1);
  await page.goto('/renewals');
  const auto = row(page, id).getByRole('checkbox', { name: 'Renew automatically' });
  await auto.check();
  await expect(row(page, id).getByText('Renews automatically for 1 month')).toBeVisible();
  const before = await (await page.request.get(`/api/v1/orders/${id}`)).json();

  await moveToDaysBeforeExpiry(page.request, id, 6);
  // The sweeper looks every few seconds.
  await expect
    .poll(async () => (await (await page.request.get(`/api/v1/orders/${id}`)).json()).expires_at, { timeout: 30_000 })
    .not.toBe(before.expires_at);
  await advanceDemoClock(2 * DAY);
  await page.waitForTimeout(6_000);
  const orders = await (await page.request.get('/api/v1/orders?page_size=50')).json();
  const renewals = orders.items.filter((order: { kind: string; product_name: string; created_at: string }) =>
    order.kind === 'renewal' && Date.parse(order.created_at) > Date.parse(before.created_at));
  const mine = [];
  for (const order of renewals) {
    const detail = await (await page.request.get(`/api/v1/orders/${order.id}`)).json();
    if (detail.renewal_lines.some((line: { app_id: number }) => line.app_id === id)) mine.push(detail);
  }
  expect(mine).toHaveLength(1);
  expect(mine[0].status).toBe('completed');

  // A message says so; reading everything empties the bell.
  await page.goto('/messages?group=renewals');
  await expect(page.getByTestId('message').filter({ hasText: 'Northwind CRM Cloud was renewed automatically' }).first()).toBeVisible();
  await expect(page.getByTestId('unread-count')).toBeVisible();
  const bell = page.getByTestId('messages-bell');
  await expect(bell).toHaveAttribute('aria-label', /Messages, \d+ unread/);
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(page.getByTestId('unread-count')).toHaveCount(0);
  await expect(bell).toHaveAttribute('aria-label', 'Messages, none unread');
});
