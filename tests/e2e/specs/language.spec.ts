// Switching to 中文 *on* a page (not before loading it) leaves no English interface text on
// any page: every translated string is read reactively. The English strings are the SPA's
// own tables (english.ts); what sellers wrote (marked data-seller-content) stays as written.
import { expect, test, type Browser, type Page } from './fixtures';
import { englishInterfaceText } from './english';
import { logIn, SAME_ORIGIN, appTookOver } from './helpers';

const ENGLISH = englishInterfaceText();
const softly = expect.configure({ soft: true });

async function person(browser: Browser, username: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  // Every page is opened in English, whatever was chosen before.
  await page.addInitScript(() => window.localStorage.setItem('bazaar.locale', 'en'));
  await logIn(page, username, name);
  return page;
}

/** The English interface pieces in the text of `selector` (the page without sellers' words). */
async function englishIn(page: Page, selector: string): Promise<string[]> {
  const text = await page.evaluate((selector) => {
    const root = document.querySelector(selector)?.cloneNode(true) as HTMLElement | undefined;
    if (!root) return '';
    root.querySelectorAll('[data-seller-content], script, style, template, noscript').forEach((node) => node.remove());
    return root.textContent ?? '';
  }, selector);
  return ENGLISH.filter((piece) => text.includes(piece));
}

/** Opens `path` in English, switches to Chinese on the page, and finds no English left. */
async function switchAndCheck(page: Page, path: string, ready: (page: Page) => Promise<void>) {
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await ready(page);
  await page.getByTestId('language-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  // Soft: one run reports every page with English left, not only the first.
  await softly
    .poll(async () => {
      // What the interface says: the page without the seller's own words.
      return englishIn(page, 'body');
    }, { message: `English interface text left on ${path}`, timeout: 10_000 })
    .toEqual([]);
}

const heading = (page: Page) => expect(page.getByRole('heading', { level: 1 })).toBeVisible();

async function placeOrder(page: Page, key: string, body: object): Promise<number> {
  const placed = await page.request.post('/api/v1/orders', { headers: { 'Idempotency-Key': key, ...SAME_ORIGIN }, data: body });
  expect(placed.status(), await placed.text()).toBe(201);
  return (await placed.json()).id as number;
}

test('switching to Chinese on every page leaves no English interface text', async ({ browser }) => {
  test.setTimeout(180_000);
  expect(ENGLISH.length).toBeGreaterThan(200);
  const buyer = await person(browser, 'lin.wei', 'Lin Wei');
  const run = Date.now();
  const crm = {
    product_id: 1,
    configuration: { sku_id: 1, billing_mode: 'yearly_monthly', duration_months: 1, quantity: 1, region: 'cn-north-4' },
    accept_terms: true,
    authorize_contact_sharing: true,
  };
  const paid = await placeOrder(buyer, `lang-paid-${run}`, crm);
  expect((await buyer.request.post(`/api/v1/orders/${paid}/payment`, { headers: SAME_ORIGIN, data: { method: 'card' } })).status()).toBe(200);
  const unpaid = await placeOrder(buyer, `lang-unpaid-${run}`, crm);
  const supervised = await placeOrder(buyer, `lang-flow-${run}`, {
    product_id: 8,
    configuration: { sku_id: 15, billing_mode: 'yearly_monthly', duration_months: 1, quantity: 1, region: 'cn-north-4' },
    accept_terms: true,
  });
  expect((await buyer.request.post(`/api/v1/orders/${supervised}/payment`, { headers: SAME_ORIGIN, data: { method: 'card' } })).status()).toBe(200);
  await expect
    .poll(async () => (await (await buyer.request.get(`/api/v1/orders/${paid}`)).json()).status, { timeout: 20_000 })
    .toBe('completed');
  const flows = await (await buyer.request.get('/api/v1/supervision/flows?page_size=50')).json();
  const flow = flows.items.find((item: { order_id: number }) => item.order_id === supervised).id as number;
  await buyer.request.put('/api/v1/favorites/1', { headers: SAME_ORIGIN });
  // The flow shows a negotiated unsubscription; another app was left, so its order shows the refund.
  const version = (await (await buyer.request.get(`/api/v1/supervision/flows/${flow}`)).json()).summary.version;
  const asked = await buyer.request.post(`/api/v1/supervision/flows/${flow}/actions`, {
    headers: { 'If-Match': `"${version}"`, ...SAME_ORIGIN },
    data: { action: 'ask_unsubscription', reason: 'Testing the language.' },
  });
  expect(asked.status(), await asked.text()).toBe(200);
  const left = await placeOrder(buyer, `lang-left-${run}`, crm);
  expect((await buyer.request.post(`/api/v1/orders/${left}/payment`, { headers: SAME_ORIGIN, data: { method: 'card' } })).status()).toBe(200);
  await expect
    .poll(async () => (await (await buyer.request.get(`/api/v1/orders/${left}`)).json()).status, { timeout: 20_000 })
    .toBe('completed');
  const quote = await (await buyer.request.get(`/api/v1/purchased-apps/${left}/unsubscription-quote`)).json();
  const leaving = await buyer.request.post(`/api/v1/purchased-apps/${left}/unsubscribe`, {
    headers: { 'Idempotency-Key': `lang-leave-${run}`, ...SAME_ORIGIN },
    data: { refund: quote.refund },
  });
  expect(leaving.status(), await leaving.text()).toBe(201);

  const pages: [string, (page: Page) => Promise<void>][] = [
    ['/', heading],
    ['/products', async (page) => {
      await appTookOver(page);
      await expect(page.getByTestId('results-count')).toBeVisible();
    }],
    ['/products/1', (page) => expect(page.getByTestId('product-ready')).toBeVisible()],
    ['/purchase/1?sku=1&billing=yearly_monthly&duration=1&quantity=1&region=cn-north-4', heading],
    ['/favorites', heading],
    ['/orders', (page) => expect(page.getByRole('link', { name: `BZ${String(paid).padStart(8, '0')}` })).toBeVisible()],
    [`/orders/${paid}`, (page) => expect(page.getByTestId('order-ready')).toBeVisible()],
    [`/orders/${left}`, (page) => expect(page.getByTestId('unsubscription')).toBeVisible()],
    [`/orders/${unpaid}/pay`, heading],
    ['/apps', heading],
    [`/apps/${paid}`, (page) => expect(page.getByTestId('basic-information')).toBeVisible()],
    ['/renewals', (page) => expect(page.getByTestId('renewal-list')).toBeVisible()],
    ['/messages', heading],
    ['/supervision', heading],
    [`/supervision/${flow}`, (page) => expect(page.getByTestId('negotiation')).toBeVisible()],
    ['/account', (page) => expect(page.getByTestId('signed-in-devices')).toBeVisible()],
    ['/terms', (page) => expect(page.getByTestId('terms-ready')).toBeVisible()],
    ['/no-such-page', heading],
  ];
  for (const [path, ready] of pages) {
    await switchAndCheck(buyer, path, ready);
  }
  // The unsubscribe dialog (modal, so opened after switching): its quote in Chinese.
  await switchAndCheck(buyer, `/apps/${paid}`, (page) => expect(page.getByTestId('basic-information')).toBeVisible());
  await buyer.getByTestId('unsubscribe').click();
  await expect(buyer.getByRole('dialog').getByTestId('quote-refund')).toBeVisible();
  await softly.poll(() => englishIn(buyer, 'dialog[open]'), { message: 'English in the unsubscribe dialog' }).toEqual([]);

  const seller = await person(browser, 'sam.okafor', 'Sam Okafor');
  await switchAndCheck(seller, '/supervision', heading);
  await switchAndCheck(seller, '/supervision/templates', (page) => expect(page.getByTestId('template-field').first()).toBeVisible());
  await switchAndCheck(seller, '/seller/notices', heading);
  const operations = await person(browser, 'zhang.min', 'Zhang Min');
  await switchAndCheck(operations, '/supervision?appeal=open', heading);

  const visitor = await (await browser.newContext()).newPage();
  await visitor.addInitScript(() => window.localStorage.setItem('bazaar.locale', 'en'));
  await switchAndCheck(visitor, '/login', heading);
});
