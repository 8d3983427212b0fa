import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { consoleAssetsDir } from '../../src/console/console.module';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or false when they can. Chromium comes from Debian's `chromium` package (.ci/run installs it). */
export function browserSkipReason(): string | false {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium) to run the browser tests`;
  return false;
}

/** The console must have been built (npm test and npm run build do it): a missing build is a failure, not a skip. */
export function assertConsoleBuilt(): void {
  if (!consoleAssetsDir()) throw new Error('console/dist is missing: run `npm run build:console` (npm test does) before the browser tests');
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    // Playwright's own browser download is not used: the distribution's Chromium, without its sandbox (CI runs as root) and GPU.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    timeout: 30_000,
  });
}

/** Screenshots go to docs/console/ (docs/console.md shows them). */
const SHOTS = join(__dirname, '..', '..', '..', 'docs', 'console');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled' });
}

/** A fresh browser profile (its own storage and network switch), sized like the screen it plays. */
export async function newContext(browser: Browser, size: { width: number; height: number } = { width: 1280, height: 860 }): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: size, colorScheme: 'light', locale: 'en-GB', timezoneId: 'UTC' });
  ctx.setDefaultTimeout(15_000);
  return ctx;
}
