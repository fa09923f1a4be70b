import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface Asset {
  body: Buffer;
  type: string;
}

/**
 * The console's files, read once at start: plain ES modules and CSS, no build step. Only the
 * names found in `public/` are served, so a request path can never reach another file.
 */
export async function loadAssets(): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const name of await readdir(PUBLIC_DIR)) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, { body: await readFile(join(PUBLIC_DIR, name)), type });
  }
  return assets;
}
