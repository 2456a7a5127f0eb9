// Developer tool: screenshots of pages as a person sees them, optionally logged in.
// Usage: node tools/screenshot.mjs <baseUrl> <outDir> <width> [username] <path>...
import { chromium } from '@playwright/test';

const [baseUrl, outDir, widthText, maybeUser, ...rest] = process.argv.slice(2);
const username = maybeUser && !maybeUser.startsWith('/') ? maybeUser : null;
const paths = username ? rest : [maybeUser, ...rest];
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const page = await browser.newPage({ viewport: { width: Number(widthText), height: 900 } });
if (username) {
  const response = await page.request.post(`${baseUrl}/api/v1/session`, {
    data: { username, password: 'bazaar-demo' },
    headers: { origin: baseUrl },
  });
  if (!response.ok()) throw new Error(`login failed: ${response.status()}`);
}
for (const path of paths) {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForTimeout(1500);
  const file = `${outDir}/${path.replace(/[^a-z0-9]+/gi, '_') || 'root'}-${widthText}.png`;
  await page.screenshot({ path: file, fullPage: true });
  console.log(file);
}
await browser.close();
