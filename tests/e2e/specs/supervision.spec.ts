// Service supervision with two people at once (buyer and seller, plus operations) and the
// demo clock moving time forward.
import { expect, test, type APIRequestContext, type Browser, type Page } from './fixtures';
import { advanceDemoClock, logIn, SAME_ORIGIN } from './helpers';

async function buy(request: APIRequestContext, productId: number, skuId: number, billing: string): Promise<number> {
  const placed = await request.post('/api/v1/orders', {
    headers: { 'Idempotency-Key': `sup-${productId}-${Date.now()}-${Math.random()}`, ...SAME_ORIGIN },
    data: {
      product_id: productId,
      configuration: {
        sku_id: skuId, billing_mode: billing, duration_months: billing === 'yearly_monthly' ? 1 : null, quantity: 1, region: 'cn-north-4',
      },
      accept_terms: true,
      authorize_contact_sharing: true,
    },
  });
  expect(placed.status()).toBe(201);
  const orderId = (await placed.json()).id as number;
  expect((await request.post(`/api/v1/orders/${orderId}/payment`, { headers: SAME_ORIGIN, data: { method: 'card' } })).status()).toBe(200);
  const flows = await (await request.get('/api/v1/supervision/flows?page_size=50')).json();
  return flows.items.find((flow: { order_id: number }) => flow.order_id === orderId).id as number;
}

/** One action through the API at the flow's current version. */
async function act(request: APIRequestContext, flowId: number, command: object) {
  const flow = await (await request.get(`/api/v1/supervision/flows/${flowId}`)).json();
  const response = await request.post(`/api/v1/supervision/flows/${flowId}/actions`, {
    headers: { 'If-Match': `"${flow.summary.version}"`, ...SAME_ORIGIN },
    data: command,
  });
  expect(response.status(), await response.text()).toBe(200);
}


async function person(browser: Browser, username: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, username, name);
  return page;
}

const REQUEST = { contact_name: 'Lin Wei', environment: 'Production', details: 'Move the orders database.' };

test('a full flow from request to Completed three hours after acceptance, then the app is in Purchased Apps', async ({ browser }) => {
  const buyer = await person(browser, 'lin.wei', 'Lin Wei');
  const seller = await person(browser, 'sam.okafor', 'Sam Okafor');
  const flowId = await buy(buyer.request, 4, 8, 'one_off');

  await buyer.getByRole('link', { name: 'Service Supervision' }).click();
  const row = buyer.getByTestId('flow-row').filter({ hasText: 'Northwind PostgreSQL Migration Service' }).first();
  await row.getByRole('link', { name: 'Submit request' }).click();
  const dialog = buyer.getByRole('dialog', { name: 'Submit request' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Send' }).click();
  await expect(dialog.locator('#request-contact_name-error')).not.toBeEmpty();
  await dialog.getByLabel('Contact person *').fill('Lin Wei');
  // A field filled in answers its error; the others keep theirs until the next Send.
  await expect(dialog.locator('#request-contact_name-error')).toBeEmpty();
  await expect(dialog.locator('#request-details-error')).not.toBeEmpty();
  await dialog.getByLabel('Environment *').selectOption('Production');
  await dialog.getByLabel('What should be done *').fill('Move the orders database to managed PostgreSQL.');
  await dialog.getByRole('button', { name: 'Send' }).click();
  await expect(dialog).toBeHidden();
  await expect(buyer.getByTestId('flow-step')).toHaveText('Request under review by the seller');

  await seller.getByRole('link', { name: 'Seller Console' }).click();
  await expect(seller.getByRole('heading', { name: 'Seller Console' })).toBeVisible();
  await seller.goto(`/supervision/${flowId}`);
  await expect(seller.getByTestId('timeline')).toContainText('Move the orders database to managed PostgreSQL.');
  await seller.getByRole('button', { name: 'Accept request' }).click();
  await seller.getByRole('dialog').getByRole('button', { name: 'Send' }).click();
  await expect(seller.getByTestId('flow-step')).toHaveText('The seller is providing the service');
  await seller.getByRole('button', { name: 'Post progress' }).click();
  await seller.getByRole('dialog').getByLabel('Note').fill('Schema copied; data sync running.');
  await seller.getByRole('dialog').getByRole('button', { name: 'Send' }).click();
  await seller.getByRole('button', { name: 'Deliver' }).click();
  await seller.getByRole('dialog').getByLabel('Delivery note').fill('Cut-over done; old database read-only.');
  await seller.getByRole('dialog').getByRole('button', { name: 'Send' }).click();
  await expect(seller.getByTestId('flow-step')).toHaveText('Delivered — awaiting the buyer\'s acceptance');

  await buyer.reload();
  await expect(buyer.getByTestId('timeline')).toContainText('Schema copied; data sync running.');
  await buyer.getByRole('button', { name: 'Accept delivery' }).click();
  await buyer.getByRole('dialog').getByRole('button', { name: 'Send' }).click();
  await expect(buyer.getByTestId('flow-step')).toHaveText('Accepted — completing');
  await expect(buyer.getByTestId('rules-panel')).toContainText(/Completes .* \(in 2 h 59 min|\(in 3 h 0 min/);
  await expect(buyer.getByRole('button', { name: 'Appeal' })).toBeDisabled();
  // The buttons held back for one reason share one sentence, said once.
  const reasons = await buyer.getByTestId('flow-actions').locator('.action-list__reason').allTextContents();
  expect(reasons.length).toBeGreaterThan(0);
  expect(new Set(reasons).size).toBe(reasons.length);

  // Three hours later (demo clock), the order completes with nobody acting.
  await advanceDemoClock(3 * 3600 + 5);
  await buyer.reload();
  await expect(buyer.getByTestId('flow-step')).toHaveText('Completed');
  await expect(buyer.getByTestId('timeline')).toContainText('Completed', { timeout: 10_000 });
  // Finished: a green badge, and no appeal window or planned completion left to count down.
  await expect(buyer.getByTestId('flow-step')).toHaveClass(/status-badge--completed/);
  await expect(buyer.getByTestId('rules-panel')).not.toContainText('Appeal window');
  await expect(buyer.getByTestId('rules-panel')).not.toContainText('Planned completion');
  await expect
    .poll(async () => (await (await buyer.request.get('/api/v1/purchased-apps?q=PostgreSQL%20Migration')).json()).total, { timeout: 10_000 })
    .toBeGreaterThan(0);
  await buyer.getByRole('link', { name: 'Purchased Apps' }).click();
  await expect(buyer.getByTestId('app-row').filter({ hasText: 'Northwind PostgreSQL Migration Service' }).first()).toBeVisible();
});

test('three seller rejections make Appeal available; the appeal freezes the flow until operations resolve it', async ({ browser }) => {
  const buyer = await person(browser, 'lin.wei', 'Lin Wei');
  const seller = await person(browser, 'sam.okafor', 'Sam Okafor');
  const operations = await person(browser, 'zhang.min', 'Zhang Min');
  const flowId = await buy(buyer.request, 4, 8, 'one_off');
  for (let round = 1; round <= 3; round++) {
    await act(buyer.request, flowId, { action: 'submit_request', values: REQUEST });
    await act(seller.request, flowId, { action: 'reject_request', reason: `Please add the database size (${round})` });
  }
  await buyer.goto(`/supervision/${flowId}`);
  await expect(buyer.getByTestId('rules-panel')).toContainText('Seller rejections of the request: 3 of 3');
  const appeal = buyer.getByRole('button', { name: 'Appeal' });
  await expect(appeal).toBeEnabled();
  await appeal.click();
  const dialog = buyer.getByRole('dialog', { name: 'Appeal' });
  await dialog.getByRole('button', { name: 'Send' }).click();
  await expect(dialog.getByText('This field is required.')).toBeVisible();
  await dialog.getByLabel('Reason').fill('Rejected three times; I sent everything asked for.');
  await dialog.getByRole('button', { name: 'Send' }).click();
  await expect(buyer.getByTestId('flow-frozen')).toBeVisible();
  await expect(buyer.getByRole('button', { name: 'Submit request' })).toBeDisabled();
  await expect(buyer.getByTestId('flow-actions')).toContainText('Frozen: an appeal is open');

  await seller.goto(`/supervision/${flowId}`);
  await expect(seller.getByTestId('open-appeal')).toContainText('Rejected three times');
  await expect(seller.getByRole('button', { name: 'Appeal' })).toBeDisabled();

  await operations.getByRole('link', { name: 'Operations' }).click();
  await expect(operations.getByLabel('Only flows with an open appeal')).toBeChecked();
  const row = operations.getByTestId('flow-row').filter({ hasText: `BZ` }).first();
  await row.getByRole('link', { name: 'Resolve appeal' }).click();
  const resolve = operations.getByRole('dialog', { name: 'Resolve appeal' });
  await resolve.getByLabel('Resume the flow').check();
  await resolve.getByLabel('Note').fill('Seller to review the request again.');
  await resolve.getByRole('button', { name: 'Send' }).click();
  await expect(operations.getByTestId('flow-frozen')).toHaveCount(0);
  await expect(operations.getByTestId('timeline')).toContainText('Appeal resolved — Resume the flow');

  // The flow resumes where it was: the buyer's turn to resubmit.
  await buyer.reload();
  await expect(buyer.getByRole('button', { name: 'Submit request' })).toBeEnabled();
});

test('five idle seller days make Appeal available, and the reason counts down before that', async ({ browser }) => {
  const buyer = await person(browser, 'lin.wei', 'Lin Wei');
  const flowId = await buy(buyer.request, 4, 9, 'one_off');
  await act(buyer.request, flowId, { action: 'submit_request', values: REQUEST });
  await buyer.goto(`/supervision/${flowId}`);
  await expect(buyer.getByRole('button', { name: 'Appeal' })).toBeDisabled();
  await expect(buyer.getByTestId('flow-actions')).toContainText(/Appeal possible in 4 d 23 h — the seller was last active \d+ s ago/);
  await buyer.getByRole('button', { name: 'Remind seller' }).click();
  await expect(buyer.getByTestId('timeline')).toContainText('Reminder sent to the seller');
  await expect(buyer.getByTestId('flow-actions')).toContainText('you can remind again in 23 h 59 min');

  await advanceDemoClock(5 * 86400 + 2);
  await buyer.reload();
  await expect(buyer.getByTestId('rules-panel')).toContainText('Seller idle: 5 d 0 h of 5 d');
  await buyer.getByRole('button', { name: 'Appeal' }).click();
  await buyer.getByRole('dialog').getByLabel('Reason').fill('No update for five days.');
  await buyer.getByRole('dialog').getByRole('button', { name: 'Send' }).click();
  await expect(buyer.getByTestId('flow-frozen')).toBeVisible();
});

test('inside the last 15 days before planned completion, Appeal is disabled with its reason', async ({ browser }) => {
  const buyer = await person(browser, 'lin.wei', 'Lin Wei');
  // Northwind SQL Audit Console: a 20-day service period, so appeals close after 5 days.
  const flowId = await buy(buyer.request, 8, 15, 'yearly_monthly');
  await act(buyer.request, flowId, {
    action: 'submit_request', values: { company_name: 'Lin Co', admin_email: 'ops@lin.example', details: 'Audit everything.' },
  });
  await advanceDemoClock(6 * 86400);
  await buyer.goto(`/supervision/${flowId}`);
  await expect(buyer.getByRole('button', { name: 'Appeal' })).toBeDisabled();
  await expect(buyer.getByTestId('flow-actions')).toContainText('No appeals in the last 15 days before planned completion');
  await expect(buyer.getByTestId('rules-panel')).toContainText('Appeal window closed');
  // A SaaS flow shows the application information before it completes.
  await expect(buyer.getByTestId('application-information')).toBeVisible();
});

test("a seller adds a choice to a product's request template, and the buyer's request form asks it", async ({ browser }) => {
  const seller = await person(browser, 'sam.okafor', 'Sam Okafor');
  await seller.getByRole('link', { name: 'Seller Console' }).click();
  await seller.getByRole('link', { name: 'Request templates' }).click();
  await expect(seller.getByRole('heading', { level: 1, name: 'Request templates' })).toBeVisible();
  await seller.getByLabel('Product', { exact: true }).selectOption({ label: 'Northwind Security Assessment' });
  await expect(seller).toHaveURL(/product=177/);
  const fields = seller.getByTestId('template-field');
  // Count only once the chosen product's template has arrived (it has fields by default).
  await expect(fields.first()).toBeVisible();
  const before = await fields.count();
  // Unique per run, so the spec also passes against a database it ran on before.
  const suffix = String(Date.now() % 100000);
  const question = `Preferred time window ${suffix}`;

  // A new field without a label is refused on the page, before anything is sent.
  await seller.getByRole('button', { name: 'Add a field' }).click();
  await expect(fields).toHaveCount(before + 1);
  const added = fields.last();
  await seller.getByRole('button', { name: 'Save template' }).click();
  await expect(seller.getByRole('alert').first()).toHaveText('Correct the fields marked below.');
  await expect(added.getByText('Labels have 1 to 80 characters.')).toBeVisible();

  await added.getByLabel('Label').fill(question);
  await added.getByLabel('Key').fill(`time_window_${suffix}`);
  await added.getByLabel('Type').selectOption({ label: 'Choice' });
  await added.getByLabel('Choices, one per line').fill('Weekday mornings\nWeekday afternoons');
  // It becomes the first question.
  for (let position = before; position > 0; position -= 1) {
    await fields.nth(position).getByRole('button', { name: 'Move up' }).click();
  }
  await expect(fields.first().getByLabel('Label')).toHaveValue(question);
  await seller.getByRole('button', { name: 'Save template' }).click();
  const saved = seller.getByRole('status').filter({ hasText: 'Template saved.' });
  await expect(saved).toBeVisible();
  // The notice describes what was saved: the next edit takes it away.
  await fields.first().getByLabel('Help for buyers (optional)').fill('Times are in UTC+8.');
  await expect(saved).toHaveCount(0);
  await seller.getByRole('button', { name: 'Save template' }).click();
  await expect(saved).toBeVisible();
  await seller.reload();
  await expect(fields.first().getByLabel('Label')).toHaveValue(question);

  const buyer = await person(browser, 'lin.wei', 'Lin Wei');
  const flowId = await buy(buyer.request, 177, 349, 'one_off');
  await buyer.goto(`/supervision/${flowId}`);
  await buyer.getByRole('button', { name: 'Submit request' }).click();
  const dialog = buyer.getByRole('dialog', { name: 'Submit request' });
  await dialog.getByLabel(question).selectOption('Weekday afternoons');
  await expect(dialog.getByLabel(question)).toHaveValue('Weekday afternoons');
});

test('a supervised service left before completion: the seller offers, the buyer accepts, and gets that back', async ({ browser }) => {
  const buyer = await person(browser, 'lin.wei', 'Lin Wei');
  const seller = await person(browser, 'sam.okafor', 'Sam Okafor');
  const flowId = await buy(buyer.request, 4, 8, 'one_off');
  const orderId = (await (await buyer.request.get(`/api/v1/supervision/flows/${flowId}`)).json()).summary.order_id;

  await buyer.goto(`/supervision/${flowId}`);
  await buyer.getByRole('button', { name: 'Ask to unsubscribe' }).click();
  const ask = buyer.getByRole('dialog');
  await ask.getByLabel('Reason').fill('We chose another vendor.');
  await ask.getByRole('button', { name: 'Send' }).click();
  await expect(buyer.getByTestId('negotiation-stage')).toContainText('Waiting for the seller');
  await expect(buyer.getByRole('button', { name: 'Ask to unsubscribe' })).toBeDisabled();

  await seller.goto(`/supervision/${flowId}`);
  await expect(seller.getByTestId('negotiation')).toContainText('We chose another vendor.');
  await seller.getByRole('button', { name: 'Offer a refund' }).click();
  const offer = seller.getByRole('dialog');
  await expect(offer).toContainText('Between 0 and ¥');
  // More than the buyer paid is refused, with the reason under the field.
  await offer.getByLabel('Refund amount').fill('100000');
  await offer.getByRole('button', { name: 'Send' }).click();
  await expect(offer.locator('#refund-amount-error')).not.toBeEmpty();
  await offer.getByLabel('Refund amount').fill('50');
  await offer.getByRole('button', { name: 'Send' }).click();
  await expect(seller.getByTestId('negotiation-stage')).toContainText('The seller offers ¥50.00');

  // The buyer's page shows the offer without a reload.
  await expect(buyer.getByTestId('negotiation-stage')).toContainText('The seller offers ¥50.00', { timeout: 15_000 });
  await buyer.getByRole('button', { name: 'Accept the offer' }).click();
  await expect(buyer.getByTestId('accept-offer')).toContainText('refunds ¥50.00');
  await buyer.getByRole('dialog').getByRole('button', { name: 'Send' }).click();
  await expect(buyer.getByTestId('flow-step')).toHaveText('Cancelled');

  await buyer.goto(`/orders/${orderId}`);
  await expect(buyer.getByTestId('cancel-reason')).toContainText('Unsubscribed before completion');
  await expect(buyer.getByTestId('unsubscription')).toContainText('Refund: ¥50.00');
  await expect(buyer.getByTestId('unsubscription')).toContainText('¥50.00 back to Visa');
});
