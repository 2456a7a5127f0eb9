// What a keyboard or screen-reader user gets from a navigation: focus on the new page's
// heading (not back at the skip link), a document title naming the page in the current
// language, an announcement, and a focus ring that stands out on every background.
import { expect, test } from './fixtures';
import { logIn } from './helpers';

test('a navigation focuses the new heading, names the document and announces the page', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Find the software your team needs — Bazaar');
  await logIn(page, 'lin.wei', 'Lin Wei');

  await page.getByRole('link', { name: 'My Orders' }).click();
  const heading = page.getByRole('heading', { level: 1, name: 'My Orders' });
  await expect(heading).toBeFocused();
  await expect(page).toHaveTitle('My Orders — Bazaar');
  await expect(page.getByTestId('page-announcement')).toHaveText('My Orders');
  // The next Tab continues inside the page, not at the skip link and the header.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);

  // A filter changes the address's query, not the page: focus stays on the control.
  const status = page.getByLabel('Status');
  await status.focus();
  await status.selectOption('completed');
  await expect(page).toHaveURL(/status=completed/);
  await expect(status).toBeFocused();

  // The title follows the language.
  await page.getByTestId('language-switch').click();
  await expect(page).toHaveTitle('我的订单 — Bazaar 云市场');
  await page.getByTestId('language-switch').click();
  await expect(page).toHaveTitle('My Orders — Bazaar');

  // Back goes to the previous page and focuses its heading too.
  await page.getByRole('link', { name: 'Purchased Apps' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Purchased Apps' })).toBeFocused();
  await page.goBack();
  await expect(heading).toBeFocused();
});

test('the focus ring has at least 3:1 contrast against the page and the cards', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const ratios = await page.evaluate(() => {
    const luminance = (color: string) => {
      const [r, g, b] = color.match(/\d+/g)!.slice(0, 3).map((part) => {
        const channel = Number(part) / 255;
        return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a: string, b: string) => {
      const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (light + 0.05) / (dark + 0.05);
    };
    const ring = getComputedStyle(document.activeElement!).outlineColor;
    const tokens = getComputedStyle(document.documentElement);
    const backgrounds = ['--color-surface', '--color-page', '--color-brand-soft', '--color-warning-soft',
      '--color-danger-soft', '--color-success-soft'].map((token) => {
      const probe = document.createElement('div');
      probe.style.color = tokens.getPropertyValue(token);
      document.body.append(probe);
      const color = getComputedStyle(probe).color;
      probe.remove();
      return color;
    });
    return backgrounds.map((background) => contrast(ring, background));
  });
  for (const ratio of ratios) {
    expect(ratio).toBeGreaterThanOrEqual(3);
  }
});

test('at 360 px the main menu wraps: nothing scrolls sideways and every item is in view', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await logIn(page, 'lin.wei', 'Lin Wei');
  const menu = page.getByRole('navigation', { name: 'Main' });
  for (const name of ['Catalog', 'My Favorites', 'My Orders', 'Purchased Apps', 'Renewal Management', 'Service Supervision']) {
    await expect(menu.getByRole('link', { name, exact: true })).toBeInViewport({ ratio: 1 });
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await menu.getByRole('link', { name: 'Service Supervision', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Service Supervision' })).toBeFocused();
});
