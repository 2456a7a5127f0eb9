// Checkout, payment, provisioning progress and My Orders, as buyers do them.
import { expect, test, type Page } from './fixtures';
import { logIn } from './helpers';

/** Opens checkout for a product with its default configuration. */
async function openCheckout(page: Page, productId: number, query = '') {
  await page.goto(`/purchase/${productId}${query}`);
  await expect(page.getByRole('heading', { name: 'Submit your order' })).toBeVisible();
}

async function orderNumberFromUrl(page: Page): Promise<string> {
  const match = page.url().match(/\/orders\/(\d+)/);
  expect(match).not.toBeNull();
  return match![1];
}

test('a SaaS app: Pay Now explains why it is disabled until the authorisation is ticked, then payment and set-up complete', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  await openCheckout(page, 1, '?sku=1&billing=yearly_monthly&duration=12&quantity=1&region=cn-north-4');
  const payNow = page.getByRole('button', { name: 'Pay Now' });
  const blockers = page.getByTestId('pay-blockers');
  await expect(payNow).toBeDisabled();
  await expect(blockers).toContainText('Tick the authorisation for the seller to create your app account.');
  await expect(blockers).toContainText('Accept the terms and conditions.');
  // The contact details to be shared are shown masked.
  await expect(page.getByTestId('consent-section')).toContainText('l***@example.com');
  await expect(page.getByTestId('consent-section')).not.toContainText('lin.wei@example.com');
  // The order's product row is called what it is.
  await expect(page.locator('dt').filter({ hasText: /^Product$/ })).toHaveCount(1);
  await expect(page.locator('dt').filter({ hasText: /^Overview$/ })).toHaveCount(0);

  await page.getByLabel(/I have read and accept/).check();
  await expect(payNow).toBeDisabled();
  await expect(blockers).not.toContainText('Accept the terms');
  await expect(blockers).toContainText('Tick the authorisation');
  await page.getByLabel(/I authorise Northwind Data Systems/).check();
  await expect(payNow).toBeEnabled();
  await expect(blockers).toBeEmpty();
  await payNow.click();

  await expect(page.getByRole('heading', { name: 'Payment' })).toBeVisible();
  await expect(page.getByTestId('amount-due')).toHaveText('¥1,990.00');
  await expect(page.getByLabel(/Account balance/)).toBeChecked();
  await page.getByLabel(/Card on file/).check();
  await page.getByRole('button', { name: 'Confirm payment' }).click();

  await expect(page).toHaveURL(/\/orders\/\d+$/);
  await expect(page.getByTestId('order-status')).toHaveText('Completed', { timeout: 20_000 });
  await expect(page.getByTestId('order-ready')).toBeVisible();
  await expect(page.getByTestId('order-payment')).toContainText('Visa •••• 4242');
  await expect(page.getByTestId('order-consent')).toContainText('Northwind Data Systems');
});

test('an image app: create a VPC on the way, set the server password twice, pay from the balance', async ({ page }) => {
  await logIn(page, 'maria.santos', 'Maria Santos');
  await openCheckout(page, 3, '?sku=6&billing=yearly_monthly&duration=1&quantity=1&region=cn-east-3');
  await expect(page.getByTestId('price-breakdown')).toContainText('Image fee');
  await expect(page.getByTestId('price-breakdown')).toContainText('Server fee');
  await expect(page.getByTestId('no-vpc')).toBeVisible();
  const blockers = page.getByTestId('pay-blockers');
  await expect(blockers).toContainText('Choose a VPC');

  await page.getByLabel('New VPC name').fill('shop-staging');
  await page.getByRole('button', { name: 'Create VPC' }).click();
  await expect(page.getByLabel('VPC', { exact: true })).toHaveValue(/\d+/);
  await expect(page.getByLabel('VPC', { exact: true }).locator('option:checked')).toContainText('shop-staging');
  await expect(blockers).not.toContainText('Choose a VPC');

  await page.getByLabel('Server login password').fill('weak');
  await expect(page.locator('#server-password-error')).toContainText('8–26 characters');
  await page.getByLabel('Server login password').fill('Harbor-Light42');
  await page.getByLabel('Confirm the password').fill('Harbor-Light43');
  await expect(blockers).toContainText('Type the same server password twice.');
  await page.getByLabel('Confirm the password').fill('Harbor-Light42');
  await page.getByLabel(/I have read and accept/).check();
  await page.getByRole('button', { name: 'Pay Now' }).click();

  // Maria's balance covers ¥229.00; her card would be declined.
  await expect(page.getByTestId('amount-due')).toHaveText('¥229.00');
  await page.getByLabel(/Card on file/).check();
  await page.getByRole('button', { name: 'Confirm payment' }).click();
  await expect(page.getByRole('alert')).toContainText('declined');
  await expect(page.getByLabel(/Card on file/)).toBeChecked();
  await page.getByLabel(/Credit payment/).check();
  await page.getByRole('button', { name: 'Confirm payment' }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Completed', { timeout: 20_000 });
  await expect(page.getByText('shop-staging (10.1.0.0/16)')).toBeVisible();
  await expect(page.locator('body')).not.toContainText('Harbor-Light42');
});

test('a reseller customer sees a reference amount and no payment step', async ({ page }) => {
  await logIn(page, 'chen.jie', 'Chen Jie');
  await openCheckout(page, 8, '?sku=15&billing=yearly_monthly&duration=1&quantity=1&region=cn-north-4');
  await expect(page.getByTestId('reference-amount')).toContainText('Harbor Cloud Partners');
  // Nothing is paid here, so the blockers are about submitting.
  await expect(page.getByTestId('pay-blockers')).toContainText('Before you can submit the order:');
  await expect(page.getByTestId('pay-blockers')).not.toContainText('Before you can pay');
  await page.getByLabel(/I have read and accept/).check();
  await page.getByRole('button', { name: 'Submit order' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  await expect(page.getByTestId('order-payment')).toContainText('Billed to your reseller');
  await expect(page.getByText(/Billed through Harbor Cloud Partners/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Payment', level: 1 })).toHaveCount(0);
});

test('the failing product ends Cancelled in My Orders with its reason and a refund', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  await openCheckout(page, 6, '?sku=12&billing=yearly_monthly&duration=1&quantity=1&region=cn-north-4');
  await page.getByLabel(/I have read and accept/).check();
  await page.getByRole('button', { name: 'Pay Now' }).click();
  await page.getByRole('button', { name: 'Confirm payment' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  const id = await orderNumberFromUrl(page);
  // Four attempts with backoff (1 s, 2 s, 4 s) before giving up.
  await expect(page.getByTestId('order-status')).toHaveText('Cancelled', { timeout: 30_000 });
  await expect(page.getByTestId('cancel-reason')).toContainText("The seller's system could not set up your app.");
  await expect(page.getByTestId('refund')).toBeVisible();
  // A cancelled order has no term left: no expiry is shown.
  await expect(page.locator('dt').filter({ hasText: /^Expires$/ })).toHaveCount(0);

  await page.getByRole('link', { name: 'Back to My Orders' }).click();
  await page.getByLabel('Status').selectOption('cancelled');
  await expect(page).toHaveURL(/status=cancelled/);
  const row = page.getByTestId('order-row').filter({ hasText: `BZ${id.padStart(8, '0')}` });
  await expect(row).toContainText('Cancelled');
  await expect(row).toContainText("The seller's system could not set up your app.");
  await page.reload();
  await expect(page.getByLabel('Status')).toHaveValue('cancelled');
  await expect(row).toBeVisible();
});

test('with the API answering 502 on Confirm, the form keeps its input and a retry makes exactly one order', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  const before = await (await page.request.get('/api/v1/orders')).json();
  await openCheckout(page, 1, '?sku=2&billing=yearly_monthly&duration=1&quantity=2&region=cn-east-3');
  await page.getByLabel(/I authorise/).check();
  await page.getByLabel(/I have read and accept/).check();
  // The first Pay Now reaches the server, but its answer is lost behind a 502.
  let failed = false;
  await page.route('**/api/v1/orders', async (route) => {
    if (!failed && route.request().method() === 'POST') {
      failed = true;
      await route.fetch();
      await route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' });
    } else {
      await route.continue();
    }
  });
  await page.getByRole('button', { name: 'Pay Now' }).click();
  await expect(page.getByRole('alert')).toContainText('Something went wrong');
  await expect(page.getByLabel(/I authorise/)).toBeChecked();
  await expect(page.getByLabel(/I have read and accept/)).toBeChecked();
  await page.getByRole('button', { name: 'Pay Now' }).click();
  await expect(page.getByRole('heading', { name: 'Payment' })).toBeVisible();

  // Now the payment's answer is lost too; the retry must not charge twice.
  let paymentFailed = false;
  await page.route('**/api/v1/orders/*/payment', async (route) => {
    if (!paymentFailed) {
      paymentFailed = true;
      await route.fetch();
      await route.fulfill({ status: 502, contentType: 'text/html', body: 'Bad gateway' });
    } else {
      await route.continue();
    }
  });
  await page.getByRole('button', { name: 'Confirm payment' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByLabel(/Account balance/)).toBeChecked();
  await page.getByRole('button', { name: 'Confirm payment' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);

  const after = await (await page.request.get('/api/v1/orders')).json();
  expect(after.total).toBe(before.total + 1);
  const order = await (await page.request.get(`/api/v1/orders/${after.items[0].id}`)).json();
  expect(order.payment.channel).toBe('balance');
});

test('My Orders keeps its filters in the URL and shows an empty state', async ({ page }) => {
  await logIn(page, 'maria.santos', 'Maria Santos');
  await page.goto('/orders?status=processing&from=2000-01-01&to=2000-01-31');
  await expect(page.getByText('No orders match these filters.')).toBeVisible();
  await expect(page.getByLabel('Status')).toHaveValue('processing');
  await expect(page.getByLabel('Placed from')).toHaveValue('2000-01-01');
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/orders$/);
});

test('My Account shows what the buyer can pay with and replaces the card on file', async ({ page }) => {
  await logIn(page, 'maria.santos', 'Maria Santos');
  await page.goto('/account');
  const methods = page.getByTestId('payment-methods');
  await expect(methods).toContainText('available of ¥100,000.00');
  await expect(page.getByTestId('card-on-file')).toContainText('•••• 0002');
  await page.getByLabel('Card number').fill('4242 4242 4242 4241');
  await page.getByLabel('Expiry month').fill('12');
  await page.getByLabel('Expiry year').fill('2031');
  await page.getByRole('button', { name: 'Save card' }).click();
  await expect(page.locator('#card-number-error')).not.toBeEmpty();
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByRole('button', { name: 'Save card' }).click();
  await expect(page.getByTestId('card-on-file')).toHaveText('Visa •••• 4242 (12/2031)');
});

test('the terms checkbox links to the terms of purchase, in a new tab, stating the rules', async ({ page, context }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  await openCheckout(page, 1, '?sku=1&billing=yearly_monthly&duration=12&quantity=1&region=cn-north-4');
  const [terms] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('link', { name: 'Read the terms of purchase' }).click(),
  ]);
  await expect(terms.getByRole('heading', { level: 1, name: 'Terms of purchase' })).toBeVisible();
  await expect(terms).toHaveTitle('Terms of purchase — Bazaar');
  // The numbers are core's: 7 days to pay, 15 + 15 days after expiry, 5 days and 5 %.
  await expect(terms.getByTestId('terms-ready')).toContainText('within 7 days is cancelled');
  await expect(terms.getByTestId('terms-ready')).toContainText('For 15 days after it expires');
  await expect(terms.getByTestId('terms-ready')).toContainText('Within 5 days of a payment');
  await expect(terms.getByTestId('terms-ready')).toContainText('less a 5 % handling fee');
  // The checkout stays as it was.
  await expect(page.getByRole('button', { name: 'Pay Now' })).toBeVisible();
});
