// Product Unsubscription as a buyer meets it: the Unsubscribe button on Resource Details
// and on the order page, the quote dialog, and the refund afterwards in My Orders and My
// Account. The demo clock is moved forward (as operations staff) to reach day 2 and day 20.
import { expect, test, type APIRequestContext } from './fixtures';
import { advanceDemoClock, buyImageMonth, completed, logIn, SAME_ORIGIN } from './helpers';

const DAY = 86_400;

/** How the SPA shows an amount of yuan: ¥1,234.56. */
const yuan = (minor: number) =>
  `¥${Math.floor(minor / 100).toLocaleString('en-US')}.${String(minor % 100).padStart(2, '0')}`;

async function balance(request: APIRequestContext): Promise<number> {
  const options = await (await request.get('/api/v1/account/payment-options')).json();
  return options.balances.find((b: { currency: string }) => b.currency === 'CNY').amount_minor;
}

test('an image app left on day 2 comes back in full: My Orders and My Account show it', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  const before = await balance(page.request);
  const id = await buyImageMonth(page.request, Date.now());
  const paid = before - (await balance(page.request));
  expect(paid).toBeGreaterThan(0);
  await advanceDemoClock(2 * DAY);

  await page.goto(`/apps/${id}`);
  await page.getByRole('button', { name: 'Unsubscribe' }).click();
  const dialog = page.getByRole('dialog', { name: /^Unsubscribe from / });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('quote-refund')).toHaveText(yuan(paid));
  await expect(dialog).toContainText('in full (within 5 days)');
  await expect(dialog).toContainText('to Account balance');
  await expect(dialog).toContainText('The app stops now');
  await dialog.getByRole('button', { name: `Unsubscribe and refund ${yuan(paid)}` }).click();

  // The order page shows what came back and where.
  await expect(page).toHaveURL(new RegExp(`/orders/${id}$`));
  const record = page.getByTestId('unsubscription');
  await expect(record).toContainText(`Refund: ${yuan(paid)}`);
  await expect(record).toContainText(`${yuan(paid)} back to Account balance`);
  await expect(page.getByTestId('unsubscribed-tag')).toHaveText('Unsubscribed');

  await page.getByRole('link', { name: 'My Orders' }).first().click();
  const number = `BZ${String(id).padStart(8, '0')}`;
  await expect(page.getByTestId('order-row').filter({ hasText: number }).getByTestId('unsubscribed-tag')).toBeVisible();

  await page.goto('/account');
  await expect(page.getByText(yuan(before), { exact: true })).toBeVisible();

  // The app is gone: Resource Details says why instead of showing credentials.
  await page.goto(`/apps/${id}`);
  await expect(page.getByRole('alert')).toContainText('You unsubscribed from this app');
});

test('on day 20 the quote is the README formula: unused seconds pro rata less 5 %', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  const placed = await page.request.post('/api/v1/orders', {
    headers: { 'Idempotency-Key': `leave-crm-${Date.now()}`, ...SAME_ORIGIN },
    data: {
      product_id: 1,
      configuration: { sku_id: 1, billing_mode: 'yearly_monthly', duration_months: 1, quantity: 1, region: 'cn-north-4' },
      accept_terms: true,
      authorize_contact_sharing: true,
    },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const id = (await placed.json()).id as number;
  const payment = await page.request.post(`/api/v1/orders/${id}/payment`, { headers: SAME_ORIGIN, data: { method: 'card' } });
  expect(payment.status(), await payment.text()).toBe(200);
  await completed(page.request, id);
  await advanceDemoClock(20 * DAY);

  await page.goto(`/orders/${id}`);
  // The quote the dialog shows is the server's answer; the test reads the same answer to
  // check it against the formula by hand.
  const quoteResponse = page.waitForResponse((r) => r.url().endsWith(`/purchased-apps/${id}/unsubscription-quote`));
  await page.getByRole('button', { name: 'Unsubscribe' }).click();
  const quote = await (await quoteResponse).json();
  const line = quote.lines[0];
  const seconds = (iso: string) => Date.parse(iso) / 1000;
  const amount = line.term.amount.amount_minor as number;
  const unused = seconds(line.term.ends_at) - seconds(quote.quoted_at);
  const length = seconds(line.term.ends_at) - seconds(line.term.starts_at);
  const unusedValue = Math.floor((amount * unused) / length);
  const fee = Math.ceil((amount * 5) / 100);
  expect(line.in_full).toBe(false);
  expect(quote.refund.amount_minor).toBe(unusedValue - fee);

  const dialog = page.getByRole('dialog', { name: /^Unsubscribe from Northwind CRM Cloud/ });
  await expect(dialog.getByTestId('quote-refund')).toHaveText(yuan(unusedValue - fee));
  await expect(dialog.getByRole('row').filter({ hasText: 'Total' })).toContainText(yuan(fee));
  await expect(dialog).toContainText('to Card on file');
  // Keeping the app closes the dialog and changes nothing.
  await dialog.getByRole('button', { name: 'Keep the app' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('unsubscription')).toHaveCount(0);
});
