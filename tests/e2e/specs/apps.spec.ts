// Purchased Apps and Resource Details: the credential behind the eye button.
import { expect, test, type APIRequestContext } from './fixtures';
import { advanceDemoClock, logIn, SAME_ORIGIN } from './helpers';

/** Buys Northwind CRM Cloud through the API (as the logged-in page) and waits until ready. */
async function buyCrm(request: APIRequestContext, key: string): Promise<number> {
  const placed = await request.post('/api/v1/orders', {
    headers: { 'Idempotency-Key': key, ...SAME_ORIGIN },
    data: {
      product_id: 1,
      configuration: { sku_id: 1, billing_mode: 'yearly_monthly', duration_months: 1, quantity: 1, region: 'cn-north-4' },
      accept_terms: true,
      authorize_contact_sharing: true,
    },
  });
  expect(placed.status()).toBe(201);
  const id = (await placed.json()).id as number;
  expect((await request.post(`/api/v1/orders/${id}/payment`, { headers: SAME_ORIGIN, data: { method: 'card' } })).status()).toBe(200);
  await expect
    .poll(async () => (await (await request.get(`/api/v1/orders/${id}`)).json()).status, { timeout: 20_000 })
    .toBe('completed');
  return id;
}

test('after a purchase the app is listed; the password reveals, copies, and hides again by itself', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.clock.install();
  await logIn(page, 'lin.wei', 'Lin Wei');
  const id = await buyCrm(page.request, `apps-${Date.now()}`);

  await page.getByRole('link', { name: 'Purchased Apps' }).click();
  await page.getByRole('link', { name: 'View Resource Details of Northwind CRM Cloud' }).first().click();
  await expect(page).toHaveURL(/\/apps\/\d+$/);
  await expect(page.getByRole('heading', { name: 'Northwind CRM Cloud', level: 1 })).toBeVisible();
  await expect(page.getByTestId('app-username')).toHaveText('lin.wei@example.com');
  await expect(page.getByTestId('seller-information')).toContainText('contact the seller');

  const value = page.getByTestId('app-password-value');
  await expect(value).toHaveText('••••••••••••');
  const eye = page.getByRole('button', { name: 'Show password' });
  await expect(eye).toHaveAttribute('aria-pressed', 'false');
  await eye.click();
  const hide = page.getByRole('button', { name: 'Hide password' });
  await expect(hide).toHaveAttribute('aria-pressed', 'true');
  await expect(value).not.toHaveText('••••••••••••');
  const password = (await value.textContent())!.trim();
  expect(password.length).toBeGreaterThanOrEqual(12);

  await page.getByRole('button', { name: 'Copy password' }).click();
  await expect(page.getByTestId('app-password-status')).toHaveText('Password copied to the clipboard.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(password);

  // A click hides it; showing it again asks the server again.
  await hide.click();
  await expect(value).toHaveText('••••••••••••');
  await page.getByRole('button', { name: 'Show password' }).click();
  await expect(value).toHaveText(password);
  // 30 seconds later it hides by itself.
  await page.clock.runFor(31_000);
  await expect(value).toHaveText('••••••••••••');
  await expect(page.getByRole('button', { name: 'Show password' })).toHaveAttribute('aria-pressed', 'false');

  for (const testId of ['management-url', 'frontend-url']) {
    const link = page.getByTestId(testId).getByRole('link');
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  }
  await expect(page.getByTestId('basic-information')).toContainText(`BZ${String(id).padStart(8, '0')}`);
});

test('an old login is asked for the password in a dialog that keeps the page', async ({ page }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  const id = await buyCrm(page.request, `reauth-${Date.now()}`);
  // Sixteen minutes later (the demo clock), the login is too old to reveal secrets.
  await advanceDemoClock(16 * 60);
  await page.goto(`/apps/${id}`);
  await page.getByRole('button', { name: 'Show password' }).click();
  const dialog = page.getByRole('dialog', { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Your Bazaar password').fill('wrong-password');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toContainText('not correct');
  await dialog.getByLabel('Your Bazaar password').fill('bazaar-demo');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('app-password-value')).not.toHaveText('••••••••••••');
  await expect(page.getByTestId('app-username')).toBeVisible();
});

test("a second buyer sees nothing of the first buyer's apps", async ({ page, browser }) => {
  await logIn(page, 'lin.wei', 'Lin Wei');
  const id = await buyCrm(page.request, `own-${Date.now()}`);

  const other = await browser.newContext();
  const maria = await other.newPage();
  await logIn(maria, 'maria.santos', 'Maria Santos');
  await maria.goto('/apps');
  await expect(maria.getByTestId('apps-cant-find')).toBeVisible();
  await expect(maria.getByRole('link', { name: 'My Orders' }).last()).toBeVisible();
  await maria.goto(`/apps/${id}`);
  await expect(maria.getByRole('alert')).toContainText('may not be yours');
  // Asking again would get the same answer, so no "Try again" is offered.
  await expect(maria.getByRole('alert').getByRole('button', { name: 'Try again' })).toHaveCount(0);
  await expect(maria.getByTestId('application-information')).toHaveCount(0);
  await other.close();
});
