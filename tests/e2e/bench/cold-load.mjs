// Cold page load in headless Chromium: a fresh browser profile per run, so nothing is
// cached. Prints JSON medians of bytes transferred, first contentful paint and the time
// until `readySelector` (the page's "usable" marker) is visible.
// Usage: node bench/cold-load.mjs <url> <readySelector> <runs>
import { chromium } from '@playwright/test';

const [url, readySelector, runsText] = process.argv.slice(2);
const runs = Number(runsText ?? 5);
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const samples = [];
for (let run = 0; run < runs; run += 1) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let transferredBytes = 0;
  cdp.on('Network.loadingFinished', (event) => { transferredBytes += event.encodedDataLength; });
  const start = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector(readySelector, { state: 'visible', timeout: 60_000 });
  const usableMs = Date.now() - start;
  const firstContentfulPaintMs = await page.evaluate(() => {
    const entry = performance.getEntriesByName('first-contentful-paint')[0];
    return entry ? entry.startTime : null;
  });
  // Let late requests finish so their bytes are counted.
  await page.waitForLoadState('networkidle');
  samples.push({ transferredBytes, firstContentfulPaintMs: firstContentfulPaintMs ?? usableMs, usableMs });
  await browser.close();
}

console.log(JSON.stringify({
  runs,
  transferredBytes: median(samples.map((s) => s.transferredBytes)),
  firstContentfulPaintMs: median(samples.map((s) => s.firstContentfulPaintMs)),
  usableMs: median(samples.map((s) => s.usableMs)),
  samples,
}));
