import { ClockworkError } from '../api/index.ts';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where `make dashboard` (esbuild) writes the page: index.html, app.js, app.css. */
export const ASSETS_DIR = fileURLToPath(new URL('../../../build/dashboard/', import.meta.url));

const FILES = { 'index.html': 'text/html; charset=utf-8', 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' } as const;

export interface Asset {
  body: Buffer;
  contentType: string;
}

/** The page's files are not built (a fresh clone before `make dashboard`). */
export class DashboardAssetsMissingError extends ClockworkError {
  constructor(dir: string, missing: string[]) {
    super(`the dashboard page is not built (${missing.join(', ')} missing in ${dir}): run \`make dashboard\``);
  }
}

/** The page's files, read once: everything it needs is bundled, nothing comes from elsewhere. */
export function loadAssets(dir: string = ASSETS_DIR): Map<string, Asset> {
  const missing = Object.keys(FILES).filter((name) => !existsSync(`${dir}/${name}`));
  if (missing.length) throw new DashboardAssetsMissingError(dir, missing);
  return new Map(Object.entries(FILES).map(([name, contentType]) => [name, { body: readFileSync(`${dir}/${name}`), contentType }]));
}
