/**
 * Readers for the browser tests of the widget: an account made through the API with its address
 * marked confirmed in the database (the mail itself is test/browser/identity.test.ts's business),
 * signed in the way a reader does it, through the widget's "Sign in" and Parley's sign-in popup.
 * The popup's fields are found by name, so this works in every interface language.
 */
import assert from 'node:assert/strict';
import type SQLite from 'better-sqlite3';
import type { ConsoleMessage, Page, Request, Response } from 'playwright-core';

export interface Reader {
  name: string;
  email: string;
  password: string;
}

let serial = 0;

/** A local account named `name`, its address confirmed (written straight to `db`). */
export async function createReader(parleyUrl: string, db: SQLite.Database, name: string) {
  const reader: Reader = {
    name,
    email: `${name.toLowerCase().replace(/\W/g, '')}.${Date.now()}.${++serial}@example.com`,
    password: 'a long enough password',
  };
  const response = await fetch(`${parleyUrl}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: parleyUrl },
    body: JSON.stringify({ displayName: name, email: reader.email, password: reader.password }),
  });
  assert.ok(response.status === 202 || response.status === 201, await response.text());
  const confirmed = db
    .prepare(`update users set email_verified_at = ? where email = ?`)
    .run(new Date().toISOString(), reader.email);
  assert.equal(confirmed.changes, 1);
  return reader;
}

/**
 * Clicks the widget's sign-in button (`signInLabel` in the page's language), logs in in the
 * popup and waits until the widget offers the comment form.
 */
export async function signInThroughPopup(
  page: Page,
  reader: Reader,
  signInLabel = 'Sign in',
): Promise<void> {
  // What went wrong on the way, said if the form never comes (a CI run saw that, rarely).
  const trouble: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning')
      trouble.push(`console ${message.type()}: ${message.text()}`);
  };
  const onResponse = (response: Response) => {
    if (response.status() >= 400)
      trouble.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  };
  const onFailed = (request: Request) =>
    trouble.push(`failed ${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
  page.on('console', onConsole).on('response', onResponse).on('requestfailed', onFailed);
  try {
    const opened = page.waitForEvent('popup');
    await page.locator('#parley-comments').getByRole('button', { name: signInLabel }).click();
    const popup = await opened;
    popup.on('console', onConsole).on('response', onResponse).on('requestfailed', onFailed);
    await popup.locator('input[name="email"]').fill(reader.email);
    await popup.locator('input[name="password"]').fill(reader.password);
    const closed = popup.waitForEvent('close');
    await popup.locator('form button[type="submit"]').first().click();
    await closed;
    await page.locator('#parley-comments form.composer').waitFor();
  } catch (error) {
    // (Playwright's CSS reaches into the widget's open shadow root.)
    const shown = await page
      .locator('#parley-comments .parley')
      .first()
      .innerText({ timeout: 1000 })
      .catch(() => '(unreadable)');
    throw new Error(
      `${(error as Error).message}\nThe widget shows: ${shown.slice(0, 600)}\n` +
        `On the way: ${trouble.join('\n') || 'no error, no failed request'}`,
    );
  } finally {
    page.off('console', onConsole).off('response', onResponse).off('requestfailed', onFailed);
  }
}
