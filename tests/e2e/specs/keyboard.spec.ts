// A SaaS purchase from the home page to a completed order with the keyboard alone: every
// control on the way is reached with Tab (or Shift+Tab) and used with Enter, Space or
// typing, and the mouse is never touched. A control that Tab cannot reach, or that only
// answers a click, fails this test.
import { expect, test, type Page } from './fixtures';
import { DEMO_PASSWORD, appReady } from './helpers';
import type { Locator } from '@playwright/test';

/** The most Tab presses a control may be away from the focus: a page's header and footer. */
const MOST_TABS = 60;

/** Presses Tab until `target` has the focus, and fails if it never gets it. */
async function tabTo(page: Page, target: Locator, direction: 'Tab' | 'Shift+Tab' = 'Tab') {
  await expect(target).toBeVisible();
  for (let presses = 0; presses < MOST_TABS; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(direction);
  }
  throw new Error(`${MOST_TABS} presses of ${direction} never reached ${target}`);
}

/** Presses `key` until `done` holds (at most twelve times, a long option list). */
async function pressUntil(page: Page, key: string, done: () => Promise<boolean>) {
  for (let presses = 0; presses < 12; presses++) {
    if (await done()) return;
    await page.keyboard.press(key);
  }
  expect(await done(), `pressing ${key} got there`).toBe(true);
}

test('a SaaS app is found, configured, paid for and ready with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('[data-shell]')).toHaveCount(0);

  // Log in from the header.
  await tabTo(page, page.getByRole('link', { name: 'Log in' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeFocused();
  await tabTo(page, page.getByLabel('User name'));
  await page.keyboard.type('lin.wei');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('header-account-name')).toHaveText('Lin Wei');

  // Search from the header and open the product from the results.
  await tabTo(page, page.getByRole('searchbox'), 'Shift+Tab');
  await page.keyboard.type('Northwind CRM');
  await page.keyboard.press('Enter');
  await appReady(page, 'results-ready');
  const product = page.getByRole('main').getByRole('link', { name: 'Northwind CRM Cloud' }).first();
  await tabTo(page, product);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('product-ready')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();

  // Configure: the yearly/monthly billing mode (arrow keys move through a radio group) and
  // a one-year term (arrow keys step a closed select), then on to checkout.
  const yearlyMonthly = page.getByRole('radio', { name: 'Yearly/monthly' });
  await tabTo(page, page.getByRole('radio', { checked: true }).first());
  await pressUntil(page, 'ArrowRight', () => yearlyMonthly.isChecked());
  const duration = page.getByLabel('Duration');
  await tabTo(page, duration);
  await pressUntil(page, 'ArrowDown', async () => (await duration.inputValue()) === '12');
  const continueToSubmit = page.getByRole('link', { name: 'Continue to Submit' });
  await tabTo(page, continueToSubmit);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Submit your order' })).toBeVisible();
  await expect(page.getByTestId('order-billing')).toHaveText('Yearly/monthly');
  await expect(page.getByTestId('order-duration')).toHaveText('1 year');

  // Checkout: both boxes ticked with Space, then Pay Now with Enter.
  const terms = page.getByLabel(/I have read and accept/);
  await tabTo(page, terms);
  await page.keyboard.press('Space');
  await expect(terms).toBeChecked();
  const authorisation = page.getByLabel(/I authorise Northwind Data Systems/);
  await tabTo(page, authorisation);
  await page.keyboard.press('Space');
  await expect(authorisation).toBeChecked();
  const payNow = page.getByRole('button', { name: 'Pay Now' });
  await expect(payNow).toBeEnabled();
  await tabTo(page, payNow);
  await page.keyboard.press('Enter');

  // Payment: the card on file, chosen with the arrow keys as a radio group is.
  await expect(page.getByRole('heading', { name: 'Payment' })).toBeVisible();
  const balance = page.getByLabel(/Account balance/);
  await expect(balance).toBeChecked();
  await tabTo(page, balance);
  const card = page.getByLabel(/Card on file/);
  await pressUntil(page, 'ArrowDown', () => card.isChecked());
  await expect(card).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Confirm payment' }));
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/orders\/\d+$/);
  // Focus moves to the order's heading, and stays there while the page refreshes itself
  // during the set-up (each refresh draws the heading anew).
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toBeFocused();
  await expect(page.getByTestId('order-status')).toHaveText('Completed', { timeout: 20_000 });
  await expect(heading).toBeFocused();
  await expect(page.getByTestId('order-payment')).toContainText('Visa •••• 4242');
});
