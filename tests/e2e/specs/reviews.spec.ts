// Reviews as a buyer and a seller meet them: a buyer who received a product reviews it and
// sees it on the product page with the rating and its chart; the seller answers it once —
// in Chinese too, with axe on the page.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { completed, logIn, SAME_ORIGIN } from './helpers';

test('a buyer reviews a product it received, and its seller answers', async ({ page, browser }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  // BluePeak Secrets Vault, a month (BluePeak: ivy.tan).
  const placed = await page.request.post('/api/v1/orders', {
    headers: { 'Idempotency-Key': `review-${Date.now()}`, ...SAME_ORIGIN },
    data: {
      product_id: 10,
      configuration: { sku_id: 19, billing_mode: 'yearly_monthly', duration_months: 1, quantity: 1, region: 'cn-north-4' },
      accept_terms: true, authorize_contact_sharing: true,
    },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const order = (await placed.json()).id as number;
  expect((await page.request.post(`/api/v1/orders/${order}/payment`, { headers: SAME_ORIGIN, data: { method: 'card' } })).status()).toBe(200);
  await completed(page.request, order);

  await page.goto('/products/10');
  const reviews = page.getByTestId('product-reviews');
  await expect(reviews.getByRole('heading', { name: 'Reviews' })).toBeVisible();
  await reviews.getByLabel('What did you think?').fill('Too short.');
  await reviews.getByRole('button', { name: 'Save review' }).click();
  await expect(reviews.getByText(/at least 20 characters/)).toBeVisible();
  await reviews.getByLabel('Stars').selectOption('4');
  await reviews.getByLabel('What did you think?').fill('Secrets rotate on schedule and the audit log is easy to read.');
  await reviews.getByRole('button', { name: 'Save review' }).click();
  await expect(reviews.getByTestId('rating-average')).toContainText(/4\.0 out of 5 · \d+ reviews?/);
  const mine = reviews.getByTestId('review').filter({ hasText: 'Secrets rotate on schedule' });
  await expect(mine).toContainText('Lin W.');
  await expect(mine.getByRole('img', { name: '4 of 5 stars' })).toBeVisible();
  await expect(reviews.getByRole('img', { name: 'Reviews per number of stars' })).toBeVisible();
  const axe = await new AxeBuilder({ page }).include('[data-testid="product-reviews"]').withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(axe.violations).toEqual([]);

  // The catalog card shows the stars; "4 stars and up" and the rating order find it.
  await page.goto('/products?q=Secrets%20Vault');
  await page.getByRole('checkbox', { name: /4 stars and up/ }).check();
  await expect(page).toHaveURL(/rating_min=4/);
  await page.getByLabel('Sort by').selectOption('rating');
  await expect(page).toHaveURL(/sort=rating/);
  const card = page.getByTestId('product-card').filter({ hasText: 'BluePeak Secrets Vault' });
  await expect(card.getByTestId('rating-stars')).toContainText(/Rated [45]\.\d of 5, \d+ reviews?/);
  await expect(card.getByTestId('rating-stars')).toContainText(/\(\d+\)/);
  const catalogAxe = await new AxeBuilder({ page }).include('.catalog').withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(catalogAxe.violations).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('catalog-rated.png'), fullPage: true });

  // The seller answers, once.
  const sellerContext = await browser.newContext();
  const seller = await sellerContext.newPage();
  await logIn(seller, 'ivy.tan', 'Ivy Tan');
  await seller.goto('/products/10');
  const theirs = seller.getByTestId('review').filter({ hasText: 'Secrets rotate on schedule' });
  await theirs.getByLabel('Your answer (once)').fill('Thank you for the kind words!');
  await theirs.getByRole('button', { name: 'Answer' }).click();
  await expect(seller.getByTestId('review').filter({ hasText: 'Secrets rotate on schedule' })).toContainText('The seller answered: Thank you for the kind words!');
  await sellerContext.close();

  await page.goto('/products/10');
  await page.getByTestId('language-switch').click();
  await expect(reviews.getByRole('heading', { name: '用户评价' })).toBeVisible();
  await expect(reviews.getByTestId('rating-average')).toContainText('4.0 分（满分 5 分）');
  await expect(reviews.getByTestId('review').filter({ hasText: 'Secrets rotate' })).toContainText('卖家回复');
  await page.screenshot({ path: test.info().outputPath('reviews-zh.png'), fullPage: true });
  await page.goto('/products?q=Secrets%20Vault&rating_min=4');
  const cardZh = page.getByTestId('product-card').filter({ hasText: 'BluePeak Secrets Vault' });
  await expect(cardZh.getByTestId('rating-stars')).toContainText(/评分 [45]\.\d（满分 5 分），\d+ 条评价/);
  await expect(page.getByRole('checkbox', { name: /4 星及以上/ })).toBeChecked();
  await page.getByTestId('language-switch').click();
});
