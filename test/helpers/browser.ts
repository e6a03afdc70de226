/**
 * Debian's Chromium driven by playwright-core (nothing is downloaded). Without Chromium the browser
 * tests are skipped, except in CI, where they fail.
 */
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

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

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}
