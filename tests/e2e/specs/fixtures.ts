// Every spec imports `test` from here so that a page which logs an uncaught error, a
// failed load or a Content-Security-Policy violation fails the test it happened in, even
// when every assertion passed. Pages opened through `browser.newContext()` or
// `context.newPage()` inside a test are watched too.
import { test as base, expect, type Browser, type BrowserContext, type ConsoleMessage, type Page } from '@playwright/test';

export { expect };
export type { APIRequestContext, Browser, Page, Route } from '@playwright/test';

// The browser logs an HTTP error status as "Failed to load resource: the server responded
// with a status of N". Those are answers our API gives on purpose (404 for an unknown
// product, 409 for a stale renewal) and the SPA shows them; they are not errors in the
// page. (A visitor's pages log none at all: anonymous.spec.ts holds them to that.) A load that never got an answer
// (`net::ERR_…`) is not in this list and fails the test.
const ANSWERED_WITH_ERROR_STATUS = /^Failed to load resource: the server responded with a status of \d{3}/;

type Watch = {
  /** Console errors and uncaught errors a test provokes on purpose (an aborted download, say). */
  // One pattern, not a list: Playwright reads an array given to `test.use` as a fixture tuple.
  allowedErrors: RegExp | null;
  pageProblems: void;
};

// Chromium reports a CSP violation as a console error too, but the event carries the
// directive and the blocked address, which make the failure message useful.
const REPORT_CSP_VIOLATIONS = () => {
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`);
  });
};

export const test = base.extend<Watch>({
  allowedErrors: [null, { option: true }],
  pageProblems: [
    async ({ context, browser, allowedErrors }, use, testInfo) => {
      const problems: string[] = [];
      const watchedPages = new WeakSet<Page>();
      const watchPage = (page: Page) => {
        if (watchedPages.has(page)) return;
        watchedPages.add(page);
        page.on('pageerror', (error) => {
          if (allowedErrors?.test(error.message)) return;
          problems.push(`uncaught error on ${page.url()}: ${error.message}`);
        });
        page.on('console', (message: ConsoleMessage) => {
          if (message.type() !== 'error') return;
          const text = message.text();
          if (ANSWERED_WITH_ERROR_STATUS.test(text)) return;
          if (allowedErrors?.test(text)) return;
          problems.push(`console error on ${page.url()}: ${text}`);
        });
      };
      const watchContext = async (watched: BrowserContext) => {
        await watched.addInitScript(REPORT_CSP_VIOLATIONS);
        watched.pages().forEach(watchPage);
        watched.on('page', watchPage);
      };
      await watchContext(context);

      // Contexts a test opens itself go through these two; wrap them for this test only.
      const originalNewContext = browser.newContext.bind(browser);
      const originalNewPage = browser.newPage.bind(browser);
      const patched = browser as Browser & { newContext: Browser['newContext']; newPage: Browser['newPage'] };
      patched.newContext = async (...args) => {
        const opened = await originalNewContext(...args);
        await watchContext(opened);
        return opened;
      };
      patched.newPage = async (...args) => {
        const opened = await originalNewPage(...args);
        await watchContext(opened.context());
        watchPage(opened);
        return opened;
      };
      try {
        await use();
      } finally {
        patched.newContext = originalNewContext;
        patched.newPage = originalNewPage;
      }
      if (testInfo.status === testInfo.expectedStatus) {
        expect(problems, 'the pages logged no uncaught errors, failed loads or CSP violations').toEqual([]);
      }
    },
    { auto: true },
  ],
});
