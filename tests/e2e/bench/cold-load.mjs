// Cold page load in headless Chromium: a fresh browser profile per run, so nothing is
// cached. Prints JSON medians of bytes transferred, first and largest contentful paint, the time
// until `readySelector` (the page's "usable" marker) is visible, and until the app has taken
// over from index.html's shell; all from navigation start.
// Usage: node bench/cold-load.mjs <url> <readySelector> <runs> [desktop|mobile] [username]
// With a username, each run first signs in as that demo account through the API (no page
// is loaded, so the cache stays cold) and then loads the page with its session cookie.
// `mobile` is Lighthouse's mobile profile: a 412 × 823 touch screen, the CPU slowed 4×,
// 150 ms round trips and 1.6 Mbps down (DevTools throttling, applied per request).
import { chromium } from '@playwright/test';

const [url, readySelector, runsText, profile = 'desktop', username] = process.argv.slice(2);
const mobile = profile === 'mobile';
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
  const context = await browser.newContext(mobile
    ? { viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true }
    : {});
  if (username) {
    const origin = new URL(url).origin;
    const signedIn = await context.request.post(`${origin}/api/v1/session`, {
      headers: { origin }, data: { username, password: 'bazaar-demo' },
    });
    if (!signedIn.ok()) throw new Error(`signing in as ${username}: ${signedIn.status()}`);
  }
  // When the ready marker is first visible and when the shell has gone, on the page's own
  // clock (from navigation start, as the paint timings), checked in every animation frame.
  // (Playwright's `waitForSelector` polls at growing intervals, up to hundreds of
  // milliseconds apart: measured that way, "usable" came 75–420 ms late on the phone profile.)
  await context.addInitScript((selector) => {
    const marks = { usable: undefined, app: undefined };
    window.__coldLoad = marks;
    let shellSeen = false;
    const check = () => {
      const now = performance.now();
      const shell = document.querySelector('[data-shell]') !== null;
      shellSeen ||= shell;
      // The shell and the app may both hold the marker, one of them hidden.
      const ready = [...document.querySelectorAll(selector)].some((element) => element.checkVisibility());
      if (marks.usable === undefined && ready) marks.usable = now;
      if (marks.app === undefined && shellSeen && !shell) marks.app = now;
      // A page without a shell (the twin) is its own app.
      if (marks.app === undefined && !shellSeen && marks.usable !== undefined) marks.app = marks.usable;
      if (marks.usable === undefined || marks.app === undefined) requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }, readySelector);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (mobile) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 150, downloadThroughput: (1638.4 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  }
  let transferredBytes = 0;
  cdp.on('Network.loadingFinished', (event) => { transferredBytes += event.encodedDataLength; });
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__coldLoad.usable !== undefined && window.__coldLoad.app !== undefined,
    null, { timeout: 60_000 });
  const { usableMs, appMs } = await page.evaluate(() => ({
    usableMs: Math.round(window.__coldLoad.usable), appMs: Math.round(window.__coldLoad.app),
  }));
  const firstContentfulPaintMs = await page.evaluate(() => {
    const entry = performance.getEntriesByName('first-contentful-paint')[0];
    return entry ? entry.startTime : null;
  });
  // Let late requests finish so their bytes are counted.
  await page.waitForLoadState('networkidle');
  // The largest paint the browser saw (the last candidate it reported), under this profile.
  const largestContentfulPaintMs = await page.evaluate(() => new Promise((resolve) => {
    new PerformanceObserver((list) => resolve(list.getEntries().at(-1).startTime))
      .observe({ type: 'largest-contentful-paint', buffered: true });
    setTimeout(() => resolve(null), 1000);
  }));
  samples.push({ transferredBytes, firstContentfulPaintMs: firstContentfulPaintMs ?? usableMs,
    largestContentfulPaintMs: largestContentfulPaintMs ?? usableMs, usableMs, appMs });
  await browser.close();
}

console.log(JSON.stringify({
  runs,
  profile,
  transferredBytes: median(samples.map((s) => s.transferredBytes)),
  firstContentfulPaintMs: median(samples.map((s) => s.firstContentfulPaintMs)),
  largestContentfulPaintMs: median(samples.map((s) => s.largestContentfulPaintMs)),
  usableMs: median(samples.map((s) => s.usableMs)),
  appMs: median(samples.map((s) => s.appMs)),
  samples,
}));
