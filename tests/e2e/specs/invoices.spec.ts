// Invoice Management as a buyer meets it: an enterprise invoice profile in My Account (a
// wrong check character is refused with its reason), one invoice for two of Bazaar's orders,
// issued at once with its number, in Chinese too, and the credit note a refund brings.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext } from './fixtures';
import { completed, logIn, SAME_ORIGIN } from './helpers';

/** Buys a month of Northwind CRM Cloud (invoiced by Bazaar) with the card; its order id. */
async function buyCrm(request: APIRequestContext, key: string): Promise<number> {
  const placed = await request.post('/api/v1/orders', {
    headers: { 'Idempotency-Key': key, ...SAME_ORIGIN },
    data: {
      product_id: 1,
      configuration: { sku_id: 1, billing_mode: 'yearly_monthly', duration_months: 1, quantity: 1, region: 'cn-north-4' },
      accept_terms: true, authorize_contact_sharing: true,
    },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const id = (await placed.json()).id as number;
  const paid = await request.post(`/api/v1/orders/${id}/payment`, { headers: SAME_ORIGIN, data: { method: 'card' } });
  expect(paid.status(), await paid.text()).toBe(200);
  await completed(request, id);
  return id;
}

const number = (id: number) => `BZ${String(id).padStart(8, '0')}`;

test('an enterprise profile, one invoice for two orders, and a credit note after a refund', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  const run = Date.now();
  const first = await buyCrm(page.request, `invoice-a-${run}`);
  const second = await buyCrm(page.request, `invoice-b-${run}`);

  await page.goto('/account');
  const profiles = page.getByTestId('invoice-profiles');
  await profiles.getByRole('button', { name: 'Add a profile' }).click();
  await page.getByLabel('Name on the invoice').fill('Lin Trading Ltd');
  await page.getByLabel('Tax ID').fill('91350100M000100Y44');
  await page.getByLabel('E-mail the invoice is sent to').fill('finance@lin.example');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('This tax ID is not valid')).toBeVisible();
  await expect(page.getByLabel('Tax ID')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Tax ID').fill('91350100M000100Y43');
  await page.getByRole('button', { name: 'Save profile' }).click();
  const saved = profiles.getByTestId('invoice-profile').filter({ hasText: 'Lin Trading Ltd' });
  await expect(saved).toContainText('Default');
  await expect(saved).toContainText('91350100M000100Y43');

  await page.getByRole('link', { name: 'Invoices' }).click();
  await expect(page.getByRole('heading', { name: 'Invoice Management' })).toBeVisible();
  const bazaar = page.getByTestId('invoice-group').filter({ hasText: 'Issued by Bazaar' });
  await bazaar.getByLabel(`Invoice order ${number(first)}`).check();
  await bazaar.getByLabel(`Invoice order ${number(second)}`).check();
  await bazaar.getByRole('button', { name: 'Request invoice' }).click();
  await expect(page.getByTestId('invoice-requested')).toContainText(/Issued BZI-\d{4}-\d{6}/);
  const issued = page.getByTestId('invoice-row').first();
  await expect(issued).toContainText(/BZI-\d{4}-\d{6}/);
  await expect(issued).toContainText('Issued');
  await expect(bazaar.getByLabel(`Invoice order ${number(first)}`)).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('invoices.png'), fullPage: true });
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(axe.violations).toEqual([]);

  await page.getByTestId('language-switch').click();
  await expect(page.getByRole('heading', { name: '发票管理' })).toBeVisible();
  await expect(page.getByTestId('invoice-row').first()).toContainText('已开具');
  await page.screenshot({ path: test.info().outputPath('invoices-zh.png'), fullPage: true });
  // The document downloads as a PDF file named after its number.
  const invoiceNumber = (await issued.getByRole('rowheader').innerText()).match(/BZI-\d{4}-\d{6}/)![0];
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: `下载 ${invoiceNumber} 的 PDF` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${invoiceNumber}.pdf`);
  const pdf = readFileSync((await download.path())!);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeLessThan(100_000);
  await page.getByTestId('language-switch').click();

  // Leaving one invoiced app within 5 days refunds it in full: a credit note takes it back.
  const quote = await (await page.request.get(`/api/v1/purchased-apps/${first}/unsubscription-quote`)).json();
  const left = await page.request.post(`/api/v1/purchased-apps/${first}/unsubscribe`, {
    headers: { 'Idempotency-Key': `leave-${run}`, ...SAME_ORIGIN },
    data: { refund: quote.refund },
  });
  expect(left.status(), await left.text()).toBe(201);
  await page.reload();
  const note = page.getByTestId('invoice-row').filter({ hasText: 'Credit note' });
  await expect(note).toContainText(/against BZI-\d{4}-\d{6}/);
  await expect(note).toContainText('-¥');
});

test('the seller issues a queued invoice from its console', async ({ browser }) => {
  // Lin Wei buys Northwind MySQL Backup Manager (its seller invoices it) and asks for an invoice.
  const lin = await browser.newContext();
  const linPage = await lin.newPage();
  await logIn(linPage, 'lin.wei', 'Lin Wei');
  const placed = await linPage.request.post('/api/v1/orders', {
    headers: { 'Idempotency-Key': `seller-invoice-${Date.now()}`, ...SAME_ORIGIN },
    data: {
      product_id: 51,
      configuration: { sku_id: 96, billing_mode: 'yearly_monthly', duration_months: 1, quantity: 1, region: 'cn-north-4' },
      accept_terms: true, authorize_contact_sharing: true,
    },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const order = (await placed.json()).id as number;
  const paid = await linPage.request.post(`/api/v1/orders/${order}/payment`, { headers: SAME_ORIGIN, data: { method: 'card' } });
  expect(paid.status(), await paid.text()).toBe(200);
  const profiles = await (await linPage.request.get('/api/v1/invoice-profiles')).json();
  let profileId = profiles[0]?.id as number | undefined;
  if (profileId === undefined) {
    const created = await linPage.request.post('/api/v1/invoice-profiles', {
      headers: SAME_ORIGIN,
      data: { kind: 'personal', title: 'Lin Wei', email: 'lin.wei@example.com' },
    });
    profileId = (await created.json()).id as number;
  }
  const requested = await linPage.request.post('/api/v1/invoices', {
    headers: SAME_ORIGIN, data: { profile_id: profileId, order_ids: [order] },
  });
  expect(requested.status(), await requested.text()).toBe(201);
  await lin.close();

  const seller = await browser.newContext();
  const page = await seller.newPage();
  await logIn(page, 'sam.okafor', 'Sam Okafor');
  await page.getByRole('link', { name: 'Invoice requests' }).click();
  const request = page.getByTestId('invoice-request').filter({ hasText: number(order) }).first();
  await expect(request.getByTestId('invoice-request-state')).toContainText('Due by');
  await request.getByRole('button', { name: 'Issue' }).click();
  const issuedBySeller = page.getByTestId('invoice-request').filter({ hasText: /S0001-\d{4}-\d{6}/ }).first();
  await expect(issuedBySeller).toBeVisible();
  const downloading = page.waitForEvent('download');
  await issuedBySeller.getByRole('link', { name: /Download S0001-\d{4}-\d{6} as PDF/ }).click();
  const pdf = readFileSync((await (await downloading).path())!);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(axe.violations).toEqual([]);
  await seller.close();
});
