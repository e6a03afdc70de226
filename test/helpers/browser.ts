/**
 * Debian's Chromium driven by playwright-core (nothing is downloaded). Without Chromium the browser
 * tests are skipped, except in CI, where they fail.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return (
      execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
        encoding: 'utf8',
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** The reason to skip browser tests here, or undefined when Chromium is available. */
export function browserSkipReason(): string | undefined {
  if (chromiumPath()) return undefined;
  if (process.env.CI === 'true') throw new Error('Chromium is required in CI but was not found');
  return 'Chromium not installed (apt-get install chromium)';
}

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...ARGS, ...extraArgs],
  });
}

/**
 * Chromium with a profile of its own (a temporary directory, removed on close), whose cookie
 * setting is explicit: `blockThirdPartyCookies` is the browser's "Block third-party cookies"
 * (`profile.cookie_controls_mode` 1 in the profile's Preferences; 0 allows them). That preference
 * is what decides; the command-line switches of the third-party cookie phase-out change nothing
 * in Debian's Chromium.
 */
export async function launchChromiumProfile(
  options: { blockThirdPartyCookies?: boolean } = {},
): Promise<BrowserContext> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-chromium-'));
  fs.mkdirSync(path.join(dir, 'Default'));
  const preferences = { profile: { cookie_controls_mode: options.blockThirdPartyCookies ? 1 : 0 } };
  fs.writeFileSync(path.join(dir, 'Default', 'Preferences'), JSON.stringify(preferences));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath(),
    headless: true,
    args: ARGS,
  });
  // Chromium may still be writing to the profile as the context closes: retry, never throw.
  context.on('close', () => {
    fs.promises
      .rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
      .catch(() => undefined);
  });
  return context;
}

/**
 * Whether pages of this context cannot use cookies in a cross-site frame: a page on localhost
 * frames one on 127.0.0.1 (another site) that sets a `SameSite=None; Secure` cookie, both from a
 * loopback server started for the check.
 */
export async function thirdPartyCookiesBlocked(context: BrowserContext): Promise<boolean> {
  const server = http.createServer((request, response) => {
    const { port } = server.address() as AddressInfo;
    const framed = request.url === '/frame';
    response.writeHead(200, {
      'content-type': 'text/html',
      ...(framed && { 'set-cookie': 'probe=1; SameSite=None; Secure; Path=/' }),
    });
    response.end(framed ? 'frame' : `<iframe src="http://127.0.0.1:${port}/frame"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const page = await context.newPage();
  try {
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://localhost:${port}/`);
    const frame = page.frameLocator('iframe');
    await frame.locator('body').waitFor();
    const inFrame = page.frames().find((candidate) => candidate.url().endsWith('/frame'));
    if (!inFrame) throw new Error('the probe frame did not load');
    const cookie = await inFrame.evaluate(() => document.cookie);
    const stored = await context.cookies(`http://127.0.0.1:${port}`);
    return cookie === '' && stored.length === 0;
  } finally {
    await page.close();
    server.close();
  }
}
