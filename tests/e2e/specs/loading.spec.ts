// How the release SPA arrives: the catalog with the first download, every other page group
// as a wasm chunk fetched the first time one of its pages is shown (`cargo xtask dist`
// splits the wasm at the routes of src/app.rs; these specs run against that build).
import { expect, test, type Page } from './fixtures';
import { logIn } from './helpers';

/** The wasm files the page has fetched so far, by file name. */
function recordWasmRequests(page: Page): string[] {
  const fetched: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.wasm')) fetched.push(path.split('/').pop() ?? path);
  });
  return fetched;
}

test('the catalog needs only the first download; My Orders fetches its chunk when first opened', async ({ page }) => {
  const fetched = recordWasmRequests(page);
  await page.goto('/products?category=databases');
  await expect(page.getByTestId('results-ready')).toBeVisible();
  expect(fetched).toEqual(['bazaar-web_bg.wasm']);

  await logIn(page, 'lin.wei', 'Lin Wei');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My Orders' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My Orders' })).toBeVisible();
  expect(fetched.some((name) => name.startsWith('split_buying_pages'))).toBe(true);
  // The supervision pages were never shown, so their chunk was never fetched.
  expect(fetched.some((name) => name.startsWith('split_supervision_pages'))).toBe(false);
});

test('a page opened directly by its address loads its chunk and renders', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  const fetched = recordWasmRequests(page);
  await page.goto('/supervision');
  await expect(page.getByRole('heading', { level: 1, name: 'Service Supervision' })).toBeVisible();
  expect(fetched.some((name) => name.startsWith('split_supervision_pages'))).toBe(true);
});

test.describe(() => {
// The dropped download is logged by the browser and by the chunk loader: expected here.
test.use({ allowedErrors: /ERR_INTERNET_DISCONNECTED|Failed to fetch/ });
test('a chunk that cannot be downloaded shows an error with Try again, and the app keeps working', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  // The network drops the supervision pages' chunk (and nothing else).
  await page.route(/\/split_supervision_pages[^/]*\.wasm$/, (route) => route.abort('internetdisconnected'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Service Supervision' }).click();
  const failure = page.getByTestId('page-download-failed');
  await expect(failure).toContainText('This page could not be downloaded.');

  // The frame is still alive: the catalog, which needs no chunk, opens from the header.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalog', exact: true }).click();
  await expect(page.getByTestId('results-ready')).toBeVisible();

  // With the network back, Try again on the failed page loads it.
  await page.goBack();
  await expect(failure).toBeVisible();
  await page.unroute(/\/split_supervision_pages[^/]*\.wasm$/);
  await failure.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Service Supervision' })).toBeVisible();
});
});
