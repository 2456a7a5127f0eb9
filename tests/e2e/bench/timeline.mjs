// One cold load on the mobile profile (4x CPU, 150 ms round trips, 1.6 Mbps down; see
// cold-load.mjs), printed as its requests: start, response, end (ms from the first request),
// bytes and path; then when `readySelector` was visible and when the app took over from the
// shell. For seeing what a page waits for (which download is last, what queues behind what).
// Usage: node bench/timeline.mjs <url> <readySelector>
import { chromium } from '@playwright/test';
const [url, sel] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1638.4 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
const reqs = new Map(); let t0;
cdp.on('Network.requestWillBeSent', e => { if (t0 === undefined) t0 = e.timestamp; reqs.set(e.requestId, { url: e.request.url.replace(/^https?:\/\/[^/]+/, ''), start: e.timestamp }); });
cdp.on('Network.responseReceived', e => { const r = reqs.get(e.requestId); if (r) r.resp = e.timestamp; });
cdp.on('Network.loadingFinished', e => { const r = reqs.get(e.requestId); if (r) { r.end = e.timestamp; r.bytes = e.encodedDataLength; } });
const start = Date.now();
await page.goto(url, { waitUntil: 'commit' });
await page.waitForSelector(sel, { state: 'visible', timeout: 60000 });
const usable = Date.now() - start;
await page.waitForFunction(() => !document.querySelector('[data-shell]'), null, { timeout: 60000, polling: 'raf' });
const app = Date.now() - start;
await page.waitForTimeout(500);
const ms = t => t === undefined ? '-' : Math.round((t - t0) * 1000);
for (const r of [...reqs.values()].sort((a, b) => a.start - b.start)) console.log(`${String(ms(r.start)).padStart(5)} ${String(ms(r.resp)).padStart(5)} ${String(ms(r.end)).padStart(5)} ${String(r.bytes ?? '').padStart(7)} ${r.url.slice(0, 70)}`);
console.log({ usable, app });
await browser.close();
