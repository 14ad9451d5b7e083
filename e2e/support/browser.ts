/**
 * Debian's Chromium for the browser suite, with the suite's flags.
 *
 * Close what a test opened with awaited calls: a close started and not awaited (a page's `close`
 * handler closing its context) can still be running when the suite closes the browser, and its
 * rejection ("Target page, context or browser has been closed") then fails the file's last test
 * after that test passed. That was the suite's CI flake.
 */
import { chromium, type Browser } from 'playwright-core';

/** Chromium with the suite's flags, plus `extraArgs`. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', ...extraArgs],
  });
}
