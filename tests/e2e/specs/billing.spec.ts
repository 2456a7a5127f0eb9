// Pay-per-use as a buyer meets it: the demo seller's meter reports usage through the signed
// usage API, the hourly charge fails for a card without funds, the app freezes after a day,
// and paying what is outstanding brings it back; the cap, the chart, the bill and its CSV.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from './fixtures';
import { advanceDemoClock, completed, logIn, SAME_ORIGIN } from './helpers';

const HOUR = 3_600;
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** axe's serious and critical findings on the page as it is now (WCAG 2.2 A/AA). */
async function seriousFindings(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** Buys Northwind CRM Cloud pay-per-use through the API and waits until it is set up. */
async function buyHourly(request: APIRequestContext, key: string): Promise<number> {
  const placed = await request.post('/api/v1/orders', {
    headers: { 'Idempotency-Key': key, ...SAME_ORIGIN },
    data: {
      product_id: 1,
      configuration: { sku_id: 1, billing_mode: 'pay_per_use', quantity: 1, region: 'cn-north-4' },
      accept_terms: true,
      authorize_contact_sharing: true,
    },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const id = (await placed.json()).id as number;
  await completed(request, id);
  return id;
}

/** Waits until the app's usage, as its buyer reads it, satisfies `check` (the meter reports
 * every 5 seconds, the sweeper charges every few seconds). */
async function waitForUsage(request: APIRequestContext, id: number, check: (usage: any) => boolean) {
  await expect
    .poll(async () => check(await (await request.get(`/api/v1/purchased-apps/${id}/usage`)).json()), {
      timeout: 75_000,
      intervals: [1_000],
    })
    .toBe(true);
}

/** Usage reported for three hours, and the first hourly run due and done. */
async function usageCharged(page: Page, id: number) {
  await advanceDemoClock(3 * HOUR);
  await waitForUsage(page.request, id, (usage) => usage.hours.length >= 2);
  await advanceDemoClock(HOUR);
}

test('a failed usage charge freezes the app; paying what is outstanding reinstates it', async ({ page }) => {
  await logIn(page, 'wang.fang', 'Wang Fang');
  const id = await buyHourly(page.request, `hourly-wang-${Date.now()}`);
  await usageCharged(page, id);
  // Her card has no funds and she has no balance: the charge fails, the app is in arrears.
  await waitForUsage(page.request, id, (usage) => usage.standing === 'arrears');

  await page.goto(`/apps/${id}`);
  const usage = page.getByTestId('usage-section');
  await expect(usage.getByRole('heading', { name: 'Usage and cost' })).toBeVisible();
  await expect(usage.getByTestId('usage-standing')).toContainText('A usage charge failed');

  // The chart and the same figures as a table.
  const chart = usage.getByRole('img', { name: 'Hourly usage over the last 30 days' });
  await expect(chart).toBeVisible();
  await usage.getByText('Show every hour as a table').click();
  const table = usage.getByTestId('usage-table');
  await expect(table.getByRole('columnheader', { name: 'Hour' })).toBeVisible();
  expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
  expect.soft(await seriousFindings(page), 'axe on Resource Details with usage').toEqual([]);

  // A cap of ¥100 a month.
  await usage.getByLabel('Cap per month (¥)').fill('100');
  await usage.getByRole('button', { name: 'Save the cap' }).click();
  await expect(page.getByTestId('cap-current')).toHaveText('Cap: ¥100.00 a month');
  await usage.getByLabel('Cap per month (¥)').fill('lots');
  await usage.getByRole('button', { name: 'Save the cap' }).click();
  await expect(usage.getByRole('alert').filter({ hasText: 'Enter an amount' })).toBeVisible();

  // A day in arrears: frozen, the password locked. The failed charge is retried at the top
  // of every hour; the clock lands at least ten minutes before one, so that no retry can
  // settle with the new card below ahead of "Pay outstanding" (a race that failed CI once).
  const clock = await (await page.request.get('/api/v1/demo/clock')).json();
  let advance = 24 * HOUR + 60;
  const landsAt = Math.floor(Date.parse(clock.now) / 1000) + advance;
  if (HOUR - (landsAt % HOUR) < 10 * 60) advance += 15 * 60;
  await advanceDemoClock(advance);
  // Frozen, and the meter has caught up (so nothing new arrives after the payment below).
  await waitForUsage(
    page.request,
    id,
    (usage) =>
      usage.standing === 'frozen' &&
      Date.parse(usage.hours[usage.hours.length - 1].hour) >= Date.parse(usage.as_of) - 2 * HOUR * 1000,
  );
  // The sweep that froze it (its "frozen" message) has retried the charge first, with the
  // card that fails: from here only "Pay outstanding" can settle before the next hour.
  await expect
    .poll(
      async () => {
        const page_ = await (await page.request.get('/api/v1/messages?page_size=50')).json();
        return page_.items.some((message: { topic: string }) => message.topic === 'usage_frozen');
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  await page.reload();
  await expect(page.getByTestId('usage-standing')).toContainText('Frozen for unpaid usage');
  await expect(page.getByTestId('phase-badge')).toHaveText('Frozen');

  // A new card, then "Pay outstanding" in one payment.
  const card = await page.request.put('/api/v1/account/card', {
    headers: SAME_ORIGIN,
    data: { number: '4242424242424242', expiry_month: 12, expiry_year: 2031 },
  });
  expect(card.status(), await card.text()).toBe(200);
  await page.getByTestId('usage-standing').getByRole('link', { name: 'Pay outstanding' }).click();
  await expect(page).toHaveURL(/\/billing$/);
  await expect(page.getByRole('heading', { name: 'Billing', level: 1 })).toBeVisible();
  const outstanding = page.getByTestId('outstanding');
  await expect(outstanding).toContainText('is not charged yet');
  await outstanding.getByLabel('Card on file').check();
  await outstanding.getByRole('button', { name: /^Pay ¥[\d,.]+ now$/ }).click();
  await expect(page.getByTestId('paid-note')).toContainText('Your apps frozen for unpaid usage are usable again.');
  await expect(page.getByTestId('outstanding')).toContainText('Nothing is outstanding.');
  expect.soft(await seriousFindings(page), 'axe on Billing').toEqual([]);

  // The month's bill, and its CSV.
  const row = page.getByTestId('bill-row').first();
  await expect(row).toContainText('Open — closes on');
  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Bill for \d{4}-\d{2}$/);
  const line = page.getByTestId('bill-line').filter({ hasText: 'Northwind CRM Cloud' });
  await expect(line).toContainText('hours');
  expect.soft(await seriousFindings(page), 'axe on a bill').toEqual([]);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^bazaar-bill-\d{4}-\d{2}-CNY\.csv$/);
  const rows = readFileSync(await download.path(), 'utf8').trim().split('\n');
  expect(rows[0]).toBe('month,order,product,dimension,quantity,currency,rated,charged,outstanding,beyond_cap');
  expect(rows.some((row) => row.includes(`BZ${String(id).padStart(8, '0')},Northwind CRM Cloud,hours,`))).toBe(true);
  expect(rows[rows.length - 1]).toMatch(/,Total,,\d+,CNY,[\d.]+,[\d.]+,0\.00,/);

  // Back on the app: active again.
  await page.goto(`/apps/${id}`);
  await expect(page.getByTestId('phase-badge')).toHaveText('Active');
  await expect(page.getByTestId('usage-standing')).toHaveCount(0);
});

test('the usage area, Billing and a bill read in Chinese', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  const id = await buyHourly(page.request, `hourly-lin-${Date.now()}`);
  await usageCharged(page, id);
  await waitForUsage(page.request, id, (usage) => usage.month_charged.amount_minor > 0);
  await page.evaluate(() => localStorage.setItem('bazaar.locale', 'zh-CN'));
  await page.goto(`/apps/${id}`);
  const usage = page.getByTestId('usage-section');
  await expect(usage.getByRole('heading', { name: '用量与费用' })).toBeVisible();
  await expect(usage.getByRole('img', { name: '最近 30 天每小时用量' })).toBeVisible();
  await expect(usage.getByText('以表格显示每个小时')).toBeVisible();
  await expect(usage.getByTestId('cap-current')).toHaveText('未设置上限：所有用量都会扣费。');
  await page.getByRole('link', { name: '费用中心' }).click();
  await expect(page.getByRole('heading', { name: '费用中心', level: 1 })).toBeVisible();
  await expect(page.getByTestId('bill-table').getByRole('columnheader', { name: '使用金额' })).toBeVisible();
  await page.getByTestId('bill-row').first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^\d{4}-\d{2} 账单$/);
  await expect(page.getByTestId('bill-line').first()).toContainText('小时');
  await expect(page.getByRole('link', { name: '下载 CSV' })).toBeVisible();
});
