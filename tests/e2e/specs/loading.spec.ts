// How the release SPA arrives: the frame with the first download, every page group as a
// wasm chunk fetched the first time one of its pages is shown, as one bundle when the page
// was opened by its address (`cargo xtask dist` splits the wasm at the routes of src/app.rs;
// these specs run against that build).
import { expect, test, type Page } from './fixtures';
import type { Request } from '@playwright/test';
import { logIn, readyMarker, appReady } from './helpers';

/** Whether the browser sent `request` as a `<link rel=prefetch>` (it says so in `Sec-Purpose`). */
async function isPrefetch(request: Request): Promise<boolean> {
  const headers = await request.allHeaders().catch(() => ({}) as Record<string, string>);
  return (headers['sec-purpose'] ?? headers['purpose'] ?? '').includes('prefetch');
}

/**
 * The wasm files the page has fetched so far to run, by file name. Prefetches in idle time
 * are left out: they only warm the cache.
 */
function recordWasmRequests(page: Page): string[] {
  const fetched: string[] = [];
  page.on('request', async (request) => {
    const path = new URL(request.url()).pathname;
    const wasm = path.endsWith('.wasm') || path.endsWith('.bin');
    if (wasm && !(await isPrefetch(request))) fetched.push(path.split('/').pop() ?? path);
  });
  return fetched;
}

/** The names of the files in a page group's bundles, as index.html's loader knows them. */
async function bundledFiles(page: Page, group: string): Promise<string[]> {
  return page.evaluate((name) => (window as any).__bazaarEarly.chunkBundles[name]
    .flatMap((bundle: { parts: [string][] }) => bundle.parts.map((part) => part[0].split('/').pop())), group);
}

test('the catalog needs the first download and its bundle; My Orders fetches its chunk when first opened', async ({ page }) => {
  const fetched = recordWasmRequests(page);
  await page.goto('/products?category=databases');
  await appReady(page, 'results-ready');
  expect(fetched).toContain('bazaar-web_bg.wasm');
  const bundles = fetched.filter((name) => name.startsWith('bundle_'));
  expect(bundles.length).toBeGreaterThan(0);
  expect(bundles.every((name) => name.startsWith('bundle_catalog_pages_'))).toBe(true);
  expect(fetched.some((name) => name.startsWith('split_') && name !== 'split_catalog_pages.wasm')).toBe(false);
  expect(new Set(fetched).size).toBe(fetched.length);

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
  // Its chunks come in a few bundles, and none of them again on its own; a chunk too large
  // for a bundle (its own) beside them, once.
  expect(fetched.filter((name) => name.startsWith('bundle_supervision_pages_')).length).toBeGreaterThan(0);
  const bundled = await bundledFiles(page, 'supervision_pages');
  expect(bundled.length).toBeGreaterThan(10);
  expect(fetched.filter((name) => bundled.includes(name))).toEqual([]);
  expect(fetched).toContain('split_supervision_pages.wasm');
  expect(new Set(fetched).size).toBe(fetched.length);
});

test.describe(() => {
// The dropped bundle is logged by the browser: expected here.
test.use({ allowedErrors: /ERR_INTERNET_DISCONNECTED|Failed to fetch/ });
test('when a page\'s bundles cannot be downloaded, their chunks are fetched one by one', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  const fetched = recordWasmRequests(page);
  await page.route(/\/bundle_supervision_pages_\d+\.bin$/, (route) => route.abort('internetdisconnected'));
  await page.goto('/supervision');
  await expect(page.getByRole('heading', { level: 1, name: 'Service Supervision' })).toBeVisible();
  const bundled = await bundledFiles(page, 'supervision_pages');
  expect(fetched.filter((name) => bundled.includes(name)).sort()).toEqual([...bundled].sort());
});
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

  // The frame is still alive: the catalog opens from the header.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalog', exact: true }).click();
  await appReady(page, 'results-ready');

  // With the network back, Try again on the failed page loads it.
  await page.goBack();
  await expect(failure).toBeVisible();
  await page.unroute(/\/split_supervision_pages[^/]*\.wasm$/);
  await failure.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Service Supervision' })).toBeVisible();
});
});

test('in idle time the results page fetches its product pages chunk ahead, and not the header links', async ({ page }) => {
  const prefetched: string[] = [];
  page.on('request', async (request) => {
    const name = new URL(request.url()).pathname.split('/').pop() ?? '';
    if (name.endsWith('.wasm') && (await isPrefetch(request))) prefetched.push(name);
  });
  await page.goto('/products?category=databases');
  await appReady(page, 'results-ready');
  await expect.poll(() => prefetched.some((name) => name.startsWith('split_product_pages'))).toBe(true);
  // The navigation's pages (My Orders, Service Supervision) wait for a pointer or the focus.
  expect(prefetched.some((name) => name.startsWith('split_supervision_pages'))).toBe(false);
  expect(prefetched.some((name) => name.startsWith('split_buying_pages'))).toBe(false);

  // Opening a product then takes its chunk from the cache the prefetch filled.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const chunkLoads: { cached: boolean }[] = [];
  cdp.on('Network.responseReceived', (event) => {
    if (event.response.url.includes('split_product_pages') && event.type !== 'Other') {
      chunkLoads.push({ cached: Boolean(event.response.fromDiskCache || event.response.fromPrefetchCache) });
    }
  });
  await readyMarker(page, 'results-ready').getByRole('link').first().click();
  await expect(page.getByTestId('product-ready')).toBeVisible();
  expect(chunkLoads.length).toBeGreaterThan(0);
  expect(chunkLoads.every((load) => load.cached)).toBe(true);
});
