// Lighthouse 12 with its default mobile settings (a Moto G Power screen, simulated Slow 4G
// and 4× CPU) on one page, in Debian's Chromium. Prints JSON: the median run's category
// scores (0–100) and its key metrics in milliseconds.
// Usage: node lighthouse.mjs <url> <runs> [username]
// With a username, the run signs in first through the API and sends the session cookie
// with every request (Lighthouse's `extraHeaders`), so pages behind a login are measured;
// storage is then not reset between runs, but nothing but that API call ran before, so
// the cache is still cold.
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const [url, runsText = '3', username] = process.argv.slice(2);
const runs = Number(runsText);
const origin = new URL(url).origin;

async function sessionCookie(name) {
  const response = await fetch(`${origin}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ username: name, password: 'bazaar-demo' }),
  });
  if (!response.ok) throw new Error(`signing in as ${name}: ${response.status} ${await response.text()}`);
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
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
      flags.extraHeaders = { Cookie: await sessionCookie(username) };
      flags.disableStorageReset = true;
    }
    const { lhr } = await lighthouse(url, flags);
    if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.message}`);
    const metric = (id) => lhr.audits[id]?.numericValue ?? null;
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
