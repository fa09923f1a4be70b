import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/**
 * The machine's Chromium (Debian's `chromium` package; CHROMIUM_PATH names another), driven by
 * playwright-core, which never downloads a browser of its own. Undefined when there is none.
 */
export function findChromium(): string | undefined {
  const named = process.env.CHROMIUM_PATH;
  if (named) return existsSync(named) ? named : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

/**
 * Why the browser tests cannot run here, or undefined when they can. In CI a missing browser is a
 * failure, not a skip: `.ci/run` installs it.
 */
export function chromiumMissing(): string | undefined {
  if (findChromium()) return undefined;
  const message = 'no Chromium on this machine (apt-get install -y chromium, or set CHROMIUM_PATH): the browser tests of the console are skipped';
  if (process.env.CI) throw new Error(`${message}; CI must install it (.ci/chromium)`);
  console.warn(message);
  return message;
}
