/**
 * Debian's Chromium for the browser suite. Now and then Chromium dies while it starts (after the
 * long npm test and PostgreSQL suites on a busy two-core machine): playwright then answers the
 * launch with "Target page, context or browser has been closed" and its log shows the process
 * being closed right after it was started. That is the browser failing to come up, not the product,
 * so a launch is tried up to three times and each failed attempt is reported with its log.
 */
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

const ATTEMPTS = 3;

/** Chromium with the suite's flags, plus `extraArgs`. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const options: LaunchOptions = {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', ...extraArgs],
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await chromium.launch(options);
    } catch (e) {
      if (attempt >= ATTEMPTS) throw e;
      process.stderr.write(`browser suite: Chromium failed to start (attempt ${attempt} of ${ATTEMPTS}), trying again:\n${String(e)}\n`);
    }
  }
}
