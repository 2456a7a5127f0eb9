// After-Sales Support as its three parties meet it: a buyer opens a ticket about an order
// with a screenshot; the seller, in its own browser, answers and resolves it; the buyer
// reopens it, lets 24 hours pass without an answer (the demo clock) and escalates;
// operations close it with a decision; the buyer rates the support — in Chinese too, with
// axe on every new page.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from './fixtures';
import { advanceDemoClock, completed, logIn, SAME_ORIGIN } from './helpers';

/** A minimal PDF: what a guide starts with. */
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
/** A PNG's signature and header: what a screenshot starts with. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

async function axe(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(result.violations).toEqual([]);
}

test('a ticket from the buyer to the seller, escalated after 24 hours, closed by operations', async ({ page, browser }) => {
  test.setTimeout(90_000);
  await logIn(page, 'lin.wei', 'Lin Wei');
  const run = Date.now();
  const placed = await page.request.post('/api/v1/orders', {
    headers: { 'Idempotency-Key': `support-${run}`, ...SAME_ORIGIN },
    data: {
      product_id: 1,
      configuration: { sku_id: 1, billing_mode: 'yearly_monthly', duration_months: 1, quantity: 1, region: 'cn-north-4' },
      accept_terms: true, authorize_contact_sharing: true,
    },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const order = (await placed.json()).id as number;
  const paid = await page.request.post(`/api/v1/orders/${order}/payment`, { headers: SAME_ORIGIN, data: { method: 'card' } });
  expect(paid.status()).toBe(200);
  await completed(page.request, order);

  // The buyer: Get help on the order, a screenshot attached.
  await page.goto(`/orders/${order}`);
  await page.getByRole('link', { name: 'Get help' }).click();
  await expect(page.getByRole('heading', { name: /Get help with BZ/ })).toBeVisible();
  await page.getByLabel('What is it about?').selectOption('cannot_log_in');
  await page.getByLabel('What happened?').fill('The console refuses my password since this morning.');
  await page.getByLabel('Screenshots or documents').setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: PNG });
  await axe(page);
  await page.getByRole('button', { name: 'Send to the seller' }).click();
  await expect(page.getByRole('heading', { name: /Support ticket #\d+/ })).toBeVisible();
  const ticketUrl = page.url();
  await expect(page.getByTestId('ticket-deadline')).toContainText('The seller answers by');
  await expect(page.getByTestId('ticket-thread').getByRole('link', { name: 'screen.png' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Escalate to operations' })).toBeDisabled();
  await axe(page);

  // The seller, in its own browser: answers, then resolves with cause and fix.
  const sellerContext = await browser.newContext();
  const seller = await sellerContext.newPage();
  await logIn(seller, 'sam.okafor', 'Sam Okafor');
  await seller.getByRole('link', { name: 'Support tickets' }).click();
  await seller.getByTestId('ticket-row').first().getByRole('link').click();
  await expect(seller.getByText('The console refuses my password since this morning.')).toBeVisible();
  await seller.getByLabel('Your message').fill('Which browser do you use? The guide attached shows the reset.');
  await seller.getByLabel('Screenshots or documents').setInputFiles({ name: 'reset-guide.pdf', mimeType: 'application/pdf', buffer: PDF });
  await seller.getByRole('button', { name: 'Send reply' }).click();
  await expect(seller.getByTestId('ticket-state')).toContainText('Answered');
  await expect(seller.getByTestId('ticket-post').last().getByRole('link', { name: 'reset-guide.pdf' })).toBeVisible();
  await seller.getByLabel('Cause').fill('A password expired overnight.');
  await seller.getByLabel('Fix').fill('Reset it from the console’s login page.');
  await seller.getByRole('button', { name: 'Mark resolved' }).click();
  await expect(seller.getByTestId('ticket-state')).toContainText('Resolved');
  await axe(seller);

  // The buyer reopens it; the seller says nothing for 24 hours; the buyer escalates.
  await page.reload();
  await expect(page.getByTestId('ticket-thread')).toContainText('A password expired overnight.');
  // The seller's file reaches the buyer, as a download.
  const [guide] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'reset-guide.pdf' }).click(),
  ]);
  expect(guide.suggestedFilename()).toBe('reset-guide.pdf');
  await page.getByLabel('Your message').fill('The reset link does not arrive.');
  await page.getByRole('button', { name: 'Reopen' }).click();
  await expect(page.getByTestId('ticket-state')).toContainText('Waiting for the seller');
  await expect(page.getByRole('button', { name: 'Escalate to operations' })).toBeDisabled();
  await advanceDemoClock(24 * 3600);
  await page.reload();
  await expect(page.getByTestId('ticket-deadline')).toContainText('did not answer');
  await page.getByRole('button', { name: 'Escalate to operations' }).click();
  await expect(page.getByTestId('ticket-state')).toContainText('With operations');

  // Operations close it with a decision.
  const operationsContext = await browser.newContext();
  const operations = await operationsContext.newPage();
  await logIn(operations, 'zhang.min', 'Zhang Min');
  await operations.goto(ticketUrl.replace(/^https?:\/\/[^/]+/, ''));
  await operations.getByLabel(/Decision/).fill('Northwind resets the password by phone today.');
  await operations.getByRole('button', { name: 'Close with this decision' }).click();
  await expect(operations.getByTestId('ticket-state')).toContainText('Closed');
  await operations.goto('/operations/tickets?state=closed');
  await expect(operations.getByTestId('ticket-row').first()).toBeVisible();
  await axe(operations);

  // The buyer rates the support, and reads the ticket in Chinese.
  await page.reload();
  await page.getByLabel('How was the support?').selectOption('4');
  await page.getByRole('button', { name: 'Rate the support' }).click();
  await expect(page.getByTestId('ticket-state')).toContainText('Support rated 4 of 5');
  await page.getByTestId('language-switch').click();
  await expect(page.getByTestId('ticket-state')).toContainText('已关闭');
  await expect(page.getByTestId('ticket-state')).toContainText('服务评分 4/5');
  await expect(page.getByTestId('ticket-thread')).toContainText('作出决定并关闭');
  await page.screenshot({ path: test.info().outputPath('ticket-zh.png'), fullPage: true });
  await axe(page);
  await page.goto('/support?state=closed');
  await expect(page.getByTestId('ticket-row').first()).toContainText('已关闭');
  await axe(page);
  await page.getByTestId('language-switch').click();
  await sellerContext.close();
  await operationsContext.close();
});
