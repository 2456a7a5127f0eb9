// Security a user sees: the login lock after repeated wrong passwords, and signing another
// device out from My Account.
import { expect, test, type Page } from './fixtures';
import { advanceDemoClock, DEMO_PASSWORD, logIn } from './helpers';

async function tryPassword(page: Page, password: string) {
  await page.getByLabel(/User name|用户名/).fill('maria.santos');
  await page.getByLabel(/^Password$|^密码$/).fill(password);
  await page.getByRole('main').getByRole('button', { name: /Log in|登录/ }).click();
}

/** Tries a password and answers the login request's status once it has come back. */
async function statusOfTry(page: Page, password: string): Promise<number> {
  const answered = page.waitForResponse((response) =>
    response.url().endsWith('/api/v1/session') && response.request().method() === 'POST');
  await tryPassword(page, password);
  return (await answered).status();
}

test('repeated wrong passwords lock the account and the login page says until when', async ({ page }) => {
  await page.goto('/login');
  const alert = page.getByRole('alert');
  let failures = 0;
  for (; failures < 3; failures++) {
    expect(await statusOfTry(page, 'not-the-password')).toBe(401);
    await expect(alert).toHaveText('Wrong user name or password.');
  }
  // The next try right away must wait a moment first: 1 s after the third failure. The
  // server counts whole seconds, so a try that lands in the next second is already past
  // that wait and counts as a fourth failure; the one after it must wait 2 s, never less
  // than 1 s away.
  if ((await statusOfTry(page, 'not-the-password')) === 429) {
    await expect(alert).toHaveText('Too many attempts. Try again in 1 s.');
  } else {
    failures += 1;
    await expect(alert).toHaveText('Wrong user name or password.');
    expect(await statusOfTry(page, 'not-the-password')).toBe(429);
    await expect(alert).toHaveText(/^Too many attempts\. Try again in [12] s\.$/);
  }
  // The rest of ten wrong passwords, each after the wait (the demo clock moves instead of us).
  for (; failures < 10; failures++) {
    await advanceDemoClock(61);
    expect(await statusOfTry(page, 'not-the-password')).toBe(401);
    await expect(alert).toHaveText('Wrong user name or password.');
  }
  // Locked: the right password is refused too, and the page says until when.
  await tryPassword(page, DEMO_PASSWORD);
  await expect(alert).toContainText('logging in is locked until');
  await expect(alert).toContainText('about 15 min');
  await expect(page).toHaveURL(/\/login/);
  // In Chinese too.
  await page.getByTestId('language-switch').click();
  await tryPassword(page, DEMO_PASSWORD);
  await expect(page.getByRole('alert')).toContainText('登录已锁定至');
  await page.getByTestId('language-switch').click();
  // Fifteen minutes later the lock is over.
  await advanceDemoClock(15 * 60 + 1);
  await logIn(page, 'maria.santos', 'Maria Santos');
});

test('a buyer signs another device out from My Account', async ({ browser }) => {
  const laptop = await (await browser.newContext()).newPage();
  const phone = await (await browser.newContext()).newPage();
  await logIn(laptop, 'lin.wei', 'Lin Wei');
  await logIn(phone, 'lin.wei', 'Lin Wei');

  await laptop.goto('/account');
  const devices = laptop.getByTestId('signed-in-devices');
  await expect(devices.getByRole('heading', { name: 'Signed-in devices' })).toBeVisible();
  const thisDevice = devices.getByRole('listitem').filter({ hasText: 'This device' });
  await expect(thisDevice).toHaveCount(1);
  await expect(thisDevice).toContainText('Chrome · Linux');
  const others = devices.getByRole('listitem').filter({ hasNotText: 'This device' });
  const before = await others.count();
  expect(before).toBeGreaterThanOrEqual(1);
  // The newest other session is the phone's (the list is most recently used first).
  await others.first().getByRole('button', { name: /^Sign out/ }).click();
  await expect(devices.getByText('Signed out.')).toBeVisible();
  await expect(others).toHaveCount(before - 1);

  // The phone is signed out: its next protected page asks it to log in.
  await phone.goto('/orders');
  await expect(phone).toHaveURL(/\/login\?next=/);
  // The laptop is not.
  await laptop.goto('/orders');
  await expect(laptop.getByRole('heading', { level: 1 })).toHaveText('My Orders');

  // Signing out everywhere ends the laptop's own session as well.
  await laptop.goto('/account');
  await laptop.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(laptop).toHaveURL(/\/login\?next=%2Faccount/);
});
