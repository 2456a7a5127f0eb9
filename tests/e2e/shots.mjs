import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:38182';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const locale of ['en', 'zh-CN']) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + '/login');
  if (locale !== 'en') await page.evaluate(() => localStorage.setItem('bazaar.locale', 'zh-CN'));
  await page.goto(base + '/login');
  await page.getByLabel(/User name|用户名/).fill('lin.wei');
  await page.getByLabel(/^(Password|密码)$/).fill('bazaar-demo');
  await page.getByRole('main').getByRole('button', { name: /Log in|登录/ }).click();
  await page.waitForTimeout(1500);
  const apps = await (await page.request.get(base + '/api/v1/purchased-apps?page_size=50')).json();
  const hourly = apps.items.find((a) => a.billing_mode === 'pay_per_use');
  await page.goto(base + `/apps/${hourly.id}`);
  await page.waitForTimeout(2500);
  await page.screenshot({ path: `/tmp/shot-app-${locale}.png`, fullPage: true });
  await page.goto(base + '/billing');
  await page.waitForTimeout(2000);
  await page.screenshot({ path: `/tmp/shot-billing-${locale}.png`, fullPage: true });
  await page.getByTestId('bill-row').last().getByRole('link').click();
  await page.waitForTimeout(2000);
  await page.screenshot({ path: `/tmp/shot-bill-${locale}.png`, fullPage: true });
  await page.close();
}
await browser.close();
