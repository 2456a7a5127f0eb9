import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const [path, block] of [['/products?q=crm&utm=x', true], ['/products?q=crm&utm=x', false], ['/products/3', false], ['/', false]]) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const requests = [];
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.type() + ': ' + m.text()); });
  page.on('pageerror', (e) => errors.push('pageerror ' + e.message));
  page.on('request', (r) => requests.push(r.url().replace('http://127.0.0.1:18081', '')));
  if (block) await page.route('**/*.wasm', (route) => route.abort());
  await page.goto('http://127.0.0.1:18081' + path);
  await page.waitForTimeout(block ? 500 : 2500);
  await page.screenshot({ path: `/tmp/shot-${block ? 'shell' : 'app'}-${path.replace(/[^a-z0-9]/g, '_')}.png` });
  console.log(path, block ? 'BLOCKED' : '', JSON.stringify(requests, null, 0));
  console.log('  errors', JSON.stringify(errors));
  await page.close();
}
await browser.close();
