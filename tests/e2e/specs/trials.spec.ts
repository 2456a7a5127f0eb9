// Free trials as a buyer meets them: start one from the product page (terms and the seller's
// authorisation, no payment step), see it in Purchased Apps with its end, buy it and keep the
// same instance with the paid term starting at the trial's end (and the quantity chosen when
// buying it); a used trial's button says why it is disabled, in Chinese too.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { logIn, SAME_ORIGIN } from './helpers';

const DAY_MS = 86_400_000;

/** One calendar month after `instant`, as the server adds months (same day, clamped). */
function addMonth(instant: Date): Date {
  const next = new Date(instant);
  const day = next.getUTCDate();
  next.setUTCDate(1);
  next.setUTCMonth(next.getUTCMonth() + 1);
  const last = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  next.setUTCDate(Math.min(day, last));
  return next;
}

test('a buyer starts a free trial, sees its end, then buys it and keeps the instance', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  await page.goto('/products/1');
  await page.getByRole('link', { name: 'Start free trial' }).click();
  await expect(page).toHaveURL(/\/purchase\/1\?.*trial=true/);
  await expect(page.getByTestId('trial-note')).toContainText('Free trial: 14 days, nothing to pay');
  const start = page.getByRole('button', { name: 'Start free trial' });
  await expect(start).toBeDisabled();
  await page.getByLabel(/I have read and accept/).check();
  await page.getByLabel(/I authorise Northwind Data Systems/).check();
  await start.click();

  // No payment step: straight to the order, which is set up like a purchase.
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  await expect(page.getByTestId('order-status')).toHaveText('Completed', { timeout: 40_000 });
  const trial = await (await page.request.get(`/api/v1/purchased-apps/${id}`)).json();
  expect(trial.basic.trial).toBe(true);
  const ends = new Date(trial.basic.expires_at);
  const instance: string = trial.application.instance_id;
  expect(instance).toBeTruthy();
  await page.goto('/orders');
  await expect(page.getByRole('row').filter({ hasText: `BZ${String(id).padStart(8, '0')}` }).getByTestId('trial-tag'))
    .toHaveText('Free trial');

  await page.goto('/apps');
  const row = page.getByTestId('app-row').filter({ hasText: `BZ${String(id).padStart(8, '0')}` });
  await expect(row.getByTestId('trial-status')).toContainText(/Trial — ends on .* \(in 14 days\)/);
  // Counted from the server's clock (other specs move the demo clock).
  const serverNow = Date.parse((await (await page.request.get('/api/v1/purchased-apps')).json()).server_now);
  expect(Math.round((ends.getTime() - serverNow) / DAY_MS)).toBe(14);
  await page.screenshot({ path: test.info().outputPath('trial-in-purchased-apps.png') });
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(axe.violations).toEqual([]);

  // Buy: Renewal Management with the app chosen, auto-renew off, the usual payment step.
  await row.getByTestId('buy-trial').click();
  await expect(page).toHaveURL(new RegExp(`/renewals\\?app=${id}`));
  const renewal = page.getByTestId('renewal-row').filter({ hasText: `BZ${String(id).padStart(8, '0')}` });
  await expect(renewal.getByTestId('trial-status')).toContainText('Trial — ends on');
  await expect(renewal.getByLabel('Auto-renew is off during a free trial')).toBeDisabled();
  await expect(renewal.getByRole('checkbox', { name: /^Select .* for renewal$/ })).toBeChecked();
  // How many to buy: the trial had one; the price follows.
  const oneMonth = await renewal.getByTestId('renewal-price').textContent();
  await renewal.getByLabel('Quantity').fill('2');
  await renewal.getByLabel('Quantity').press('Tab');
  await expect(renewal.getByTestId('renewal-price')).not.toHaveText(oneMonth ?? '');
  await page.screenshot({ path: test.info().outputPath('trial-buy.png') });
  await page.getByRole('button', { name: 'Renew selected' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+\/pay$/);
  await page.getByLabel('Account balance').check();
  await page.getByRole('button', { name: 'Confirm payment' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);

  // The paid term starts at the trial's end; the instance is the same.
  const bought = await (await page.request.get(`/api/v1/purchased-apps/${id}`)).json();
  expect(bought.basic.trial).toBe(false);
  expect(new Date(bought.basic.expires_at).toISOString()).toBe(addMonth(ends).toISOString());
  expect((await (await page.request.get(`/api/v1/orders/${id}`)).json()).configuration.quantity).toBe(2);
  await page.goto(`/apps/${id}`);
  await expect(page.getByTestId('application-information')).toContainText(instance);
  await expect(page.getByTestId('trial-status')).toHaveCount(0);
  await expect(page.getByTestId('phase-badge')).toHaveText('Active');
});

test('a used trial is refused with the day it was used, in Chinese too', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  // Maple Model Inference Gateway's trial, started through the API.
  const maple = await (await page.request.get('/api/v1/products/23')).json();
  const placed = await page.request.post('/api/v1/orders', {
    headers: { 'Idempotency-Key': `trial-used-${Date.now()}`, ...SAME_ORIGIN },
    data: {
      product_id: 23,
      configuration: { sku_id: maple.skus[0].id, billing_mode: 'yearly_monthly', duration_months: 1, quantity: 1,
        region: maple.regions[0] },
      accept_terms: true, authorize_contact_sharing: true, trial: true,
    },
  });
  expect(placed.status(), await placed.text()).toBe(201);

  await page.goto('/products/23');
  const button = page.getByRole('button', { name: 'Start free trial' });
  await expect(button).toBeDisabled();
  await expect(page.getByTestId('trial-refusal')).toContainText("You already used this product's trial on");
  await expect(button).toHaveAccessibleDescription(/You already used this product's trial on/);
  await page.getByTestId('language-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('button', { name: '免费试用' })).toBeDisabled();
  await expect(page.getByTestId('trial-refusal')).toContainText('试用过此商品');
  await page.screenshot({ path: test.info().outputPath('trial-used-zh.png') });
  await page.getByTestId('language-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
