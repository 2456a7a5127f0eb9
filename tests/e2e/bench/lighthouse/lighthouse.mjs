// Lighthouse 12 with its default mobile settings (a Moto G Power screen, simulated Slow 4G
// and 4× CPU) on one page, in Debian's Chromium. Prints JSON: the median run's category
// scores (0–100) and its key metrics in milliseconds.
// Usage: node lighthouse.mjs <url> <runs> [username]
// With a username, each run is a returning signed-in buyer with an empty HTTP cache: the
// browser signs in on the login page as a person would, then drops its HTTP cache; storage
// (the session cookie, the remembered account name) is kept for the measured load.
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';

const [url, runsText = '3', username] = process.argv.slice(2);
const runs = Number(runsText);
const origin = new URL(url).origin;

async function signIn(port, name) {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}` });
  const page = await browser.newPage();
  await page.goto(`${origin}/login`, { waitUntil: 'networkidle0' });
  await page.type('#username', name);
  await page.type('#password', 'bazaar-demo');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=header-account-name]', { timeout: 30_000 });
  const cdp = await page.createCDPSession();
  await cdp.send('Network.clearBrowserCache');
  await page.close();
  await browser.disconnect();
}

const results = [];
for (let run = 0; run < runs; run += 1) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] };
    if (username) {
      await signIn(chrome.port, username);
      flags.disableStorageReset = true;
    }
    const { lhr } = await lighthouse(url, flags);
    if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.message}`);
    const metric = (id) => lhr.audits[id]?.numericValue ?? null;
    // The largest contentful paint's element and what moved, for finding causes (on
    // standard error).
    const largest = lhr.audits['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node;
    if (largest) console.error(`largest contentful paint on ${url}: ${largest.selector} ${largest.snippet}`);
    // The simulation charges the largest paint with every download started before it in the
    // observed (unthrottled) load: a paint that comes late there (the app's, not the
    // shell's) makes the simulated one late too.
    const observed = lhr.audits.metrics?.details?.items?.[0];
    if (observed) {
      console.error(`observed load of ${url}: first paint ${Math.round(observed.observedFirstContentfulPaint)} ms, `
        + `largest paint ${Math.round(observed.observedLargestContentfulPaint)} ms`);
    }
    for (const item of lhr.audits['layout-shifts']?.details?.items ?? []) {
      console.error(`layout shift ${item.score?.toFixed(3)} on ${url}: ${item.node?.selector ?? '?'}`);
    }
    results.push({
      performance: Math.round(lhr.categories.performance.score * 100),
      accessibility: Math.round(lhr.categories.accessibility.score * 100),
      firstContentfulPaintMs: metric('first-contentful-paint'),
      largestContentfulPaintMs: metric('largest-contentful-paint'),
      totalBlockingTimeMs: metric('total-blocking-time'),
      cumulativeLayoutShift: metric('cumulative-layout-shift'),
      speedIndexMs: metric('speed-index'),
    });
  } finally {
    await chrome.kill();
  }
}
// The run with the median performance score stands for the page (Lighthouse's own advice
// for noisy scores); every run is printed too.
const sorted = [...results].sort((a, b) => a.performance - b.performance);
console.log(JSON.stringify({ url, runs, median: sorted[Math.floor(sorted.length / 2)], results }));
