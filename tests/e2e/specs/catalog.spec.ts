// The catalog as a buyer uses it: search, category fields, counts, product page,
// configurator, favourites and Buy — with every choice kept in the URL.
import { expect, test } from './fixtures';
import { logIn, appReady, appTookOver } from './helpers';

test('search, filter, configure, save and buy from favourites', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  // Remove any earlier favourite of this product so the test starts clean.
  await page.request.delete('/api/v1/favorites/3', { headers: { origin: new URL(page.url()).origin } });

  await page.getByLabel('Search products').fill('images');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/products\?q=images/);
  await appReady(page, 'results-ready');
  const allCount = await page.getByTestId('results-count').textContent();

  // Choose a category: its own fields appear.
  await page.getByRole('radio', { name: /OS & Runtime Images/ }).check();
  await expect(page).toHaveURL(/category=images/);
  const osFacet = page.getByTestId('facet-operating_system');
  await expect(osFacet).toBeVisible();

  // Use one of its own filters: the URL and the count change.
  const architecture = page.getByTestId('facet-architecture');
  const arm = architecture.getByRole('checkbox', { name: /Arm64/ });
  const advertised = await architecture.locator('label', { hasText: 'Arm64' }).locator('.facet__count').textContent();
  await arm.check();
  await expect(page).toHaveURL(/a_architecture=arm64/);
  await expect(page.getByTestId('results-count')).toHaveText(`${advertised} products`);
  expect(await page.getByTestId('results-count').textContent()).not.toBe(allCount);
  const filteredUrl = page.url();

  // A copied URL opened in a new page shows the same results.
  const other = await page.context().newPage();
  await other.goto(filteredUrl);
  await appTookOver(other);
  await expect(other.getByTestId('results-count')).toHaveText(`${advertised} products`);
  await expect(other.getByTestId('facet-architecture').getByRole('checkbox', { name: /Arm64/ })).toBeChecked();
  await other.close();

  // Back restores the previous filters.
  await page.goBack();
  await expect(page).not.toHaveURL(/a_architecture/);
  await expect(page.getByTestId('facet-architecture').getByRole('checkbox', { name: /Arm64/ })).not.toBeChecked();
  await page.goForward();
  await expect(page).toHaveURL(/a_architecture=arm64/);

  // Open the product, configure it, watch the price change.
  await page.getByRole('link', { name: 'BluePeak Hardened Ubuntu 22.04' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('BluePeak Hardened Ubuntu 22.04');
  await page.getByRole('radio', { name: 'Yearly/monthly' }).check();
  const total = page.getByTestId('price-total');
  const monthly = await total.textContent();
  await page.getByLabel('Duration').selectOption('12');
  await expect(total).not.toHaveText(monthly ?? '');
  const yearly = await total.textContent();
  await page.getByLabel('Quantity').fill('2');
  await expect(total).not.toHaveText(yearly ?? '');
  await expect(page.getByTestId('price-breakdown')).toContainText('Server fee');

  // Save to List is a toggle.
  const save = page.getByRole('button', { name: /Save to List/ });
  await save.click();
  await expect(page.getByRole('button', { name: /Saved to List/ })).toHaveAttribute('aria-pressed', 'true');

  // Continue to Submit carries the configuration.
  await page.getByRole('link', { name: 'Continue to Submit' }).click();
  await expect(page).toHaveURL(/\/purchase\/3\?sku=\d+&billing=yearly_monthly&duration=12&quantity=2&region=cn-north-4/);
  await expect(page.getByTestId('order-duration')).toHaveText('1 year');
  await expect(page.getByTestId('order-quantity')).toHaveText('2');

  // My Favorites lists it; Buy opens checkout with the configuration it was saved with.
  await page.getByRole('link', { name: 'My Favorites' }).click();
  const favourites = page.getByTestId('favorites-list');
  await expect(favourites.getByRole('link', { name: 'BluePeak Hardened Ubuntu 22.04' })).toBeVisible();
  await favourites.getByTestId('product-card').filter({ hasText: 'BluePeak Hardened Ubuntu 22.04' }).getByRole('link', { name: 'Buy' }).click();
  await expect(page).toHaveURL(/\/purchase\/3\?sku=\d+&billing=yearly_monthly&duration=12&quantity=2&region=cn-north-4/);
  await expect(page.getByTestId('order-sku')).toHaveText('2 vCPUs, 4 GiB');
  await expect(page.getByTestId('order-billing')).toHaveText('Yearly/monthly');
  await expect(page.getByTestId('order-duration')).toHaveText('1 year');
  await expect(page.getByTestId('order-quantity')).toHaveText('2');
});

test('a search with no results offers a way out', async ({ page }) => {
  await page.goto('/products?q=zzzznotaproduct');
  await appTookOver(page);
  await expect(page.getByTestId('results-empty')).toBeVisible();
  await expect(page.getByText('No products match')).toBeVisible();
});

test('the catalog works on a 360 px screen', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/products?category=databases');
  await appReady(page, 'results-ready');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('on a phone the price and a way to Continue stay on screen while reading a product', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/products/1');
  await expect(page.getByTestId('product-ready')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // Halfway down the description the bar is still in view, with the starting price.
  await page.mouse.wheel(0, 900);
  const jump = page.getByRole('button', { name: 'Choose options' });
  await expect(jump).toBeInViewport();
  await expect(page.locator('.product-buy-bar')).toContainText('From ¥');
  await jump.click();
  const options = page.getByRole('heading', { level: 2, name: 'Configure and buy' });
  await expect(options).toBeFocused();
  await expect(options).toBeInViewport();

  // Beside the text on a wide screen, the configurator needs no bar.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(jump).toBeHidden();
});
