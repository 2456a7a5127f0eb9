// Shared steps for the specs: they act as a user would, through labels and roles.
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'bazaar-demo';

/** Logs in through the login page and waits for the header to show the account. */
export async function logIn(page: Page, username: string, displayName: string) {
  await page.goto('/login');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('header-account-name')).toHaveText(displayName);
}
