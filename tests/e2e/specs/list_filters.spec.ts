// The list pages' filters (Purchased Apps, My Orders, Service Supervision, Messages) are one
// piece of URL state (src/list_query.rs, src/components/list_filters.rs): each filter is in
// the address, a change goes back to page 1, and reload and Back restore the controls.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

test('each list page keeps its filters in the address, through a reload and Back', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  const main = page.getByRole('main');

  // Purchased Apps: typed text applies on Search (trimmed); a choice applies at once.
  await page.goto('/apps');
  await main.getByLabel('Search your apps').fill('  Northwind CRM ');
  await main.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/apps\?q=Northwind%20CRM$/);
  await main.getByLabel('Delivery method').selectOption('saas');
  await expect(page).toHaveURL(/\/apps\?q=Northwind%20CRM&delivery=saas$/);
  await page.reload();
  await expect(main.getByLabel('Search your apps')).toHaveValue('Northwind CRM');
  await expect(main.getByLabel('Delivery method')).toHaveValue('saas');
  await page.goBack();
  await expect(page).toHaveURL(/\/apps\?q=Northwind%20CRM$/);
  await expect(main.getByLabel('Delivery method')).toHaveValue('');
  await expect(main.getByLabel('Search your apps')).toHaveValue('Northwind CRM');

  // My Orders: a value the filter does not take and a stray key are dropped on the next change.
  await page.goto('/orders?status=lost&from=2026-01-01&utm=mail');
  await expect(main.getByLabel('Status')).toHaveValue('');
  await expect(main.getByLabel('Placed from')).toHaveValue('2026-01-01');
  await main.getByLabel('Status').selectOption('completed');
  await expect(page).toHaveURL(/\/orders\?status=completed&from=2026-01-01$/);
  await main.getByRole('link', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(main.getByLabel('Placed from')).toHaveValue('');

  // Service Supervision: a change leaves page 3 for page 1.
  await page.goto('/supervision?page=3');
  await main.getByLabel('Only flows with an open appeal').check();
  await expect(page).toHaveURL(/\/supervision\?appeal=open$/);
  await main.getByLabel('Step').selectOption('in_service');
  await expect(page).toHaveURL(/\/supervision\?step=in_service&appeal=open$/);
  await main.getByLabel('Only flows with an open appeal').uncheck();
  await expect(page).toHaveURL(/\/supervision\?step=in_service$/);

  // Messages: "Unread only" keeps the group, and a group keeps "Unread only".
  await page.goto('/messages?group=orders');
  await main.getByLabel('Unread only').check();
  await expect(page).toHaveURL(/\/messages\?group=orders&unread=true$/);
  await main.getByRole('link', { name: 'Everything' }).click();
  await expect(page).toHaveURL(/\/messages\?unread=true$/);
  await expect(main.getByLabel('Unread only')).toBeChecked();
});
