/**
 * Debian's Chromium for the browser suite. A Chromium that exits while it starts makes playwright
 * answer the launch with "Target page, context or browser has been closed" (its log: `<launched>`,
 * then `<gracefully close start>`), which is the browser failing to come up, not the product: a
 * launch is tried up to three times and each failed attempt is reported with its log. (The suite's
 * CI flake has the same message but is a running browser closed under the tests: SuiteBrowser.)
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

/**
 * The browser of one suite file, launched again when it is found closed. Now and then in CI a
 * running Chromium is closed moments after its launch (playwright logs `<gracefully close start>`
 * with no close of ours and no signal seen; cause not found): a file using this, with
 * `jest.retryTimes`, runs the test that was taken down again on a new browser.
 */
export class SuiteBrowser {
  private browser?: Browser;

  constructor(private readonly extraArgs: string[] = []) {}

  async get(): Promise<Browser> {
    if (this.browser?.isConnected()) return this.browser;
    if (this.browser) process.stderr.write('browser suite: Chromium was closed under the tests; launching it again\n');
    this.browser = await launchChromium(this.extraArgs);
    return this.browser;
  }

  async close(): Promise<void> {
    await this.browser?.close();
  }
}
