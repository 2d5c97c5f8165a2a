/// <reference lib="dom" />
// Shared by the dashboard's browser tests: Debian's chromium driven by puppeteer-core (no browser
// is downloaded; `make test-tools` installs it), `clockwork dashboard` as a separate process, and
// what the page shows read through its stable hooks (data-resource, data-state, data-edge…).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { collectLines, repoRoot, waitFor } from '../../harness/index.ts';

export const CHROMIUM = '/usr/bin/chromium';
/** A browser that talks to nothing but the page: no sync, updates, field trials or QUIC. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const STACK = 'test/fixtures/stacks/dashboard/seed.ts';
export const RESOURCES = ['prometheus', 'postgres-db', 'api-service'] as const;

/** The image map of the locally built example images (test/images/build-example-images.sh). */
export function imageMap(): string {
  return readFileSync(join(process.env.CLOCKWORK_IMAGES_CACHE ?? join(homedir(), '.cache/clockwork/images'), 'image-map.env'), 'utf8').match(/^CLOCKWORK_IMAGE_MAP=(.*)$/m)![1]!;
}

export interface BrowserSession {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** A fresh chromium (its own new profile directory) with one page open at `url`. */
export async function openPage(url: string): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`make test-tools\` (apt-get install chromium)`);
  const profile = mkdtempSync(join(tmpdir(), 'clockwork-chromium-'));
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`], defaultViewport: { width: 1440, height: 900 } });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(url);
  return {
    browser,
    page,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
      if (errors.length) throw new Error(`the page threw:\n${errors.join('\n')}`);
    },
  };
}

/** Under .test-results/, which the test run keeps. */
export function resultPath(name: string): string {
  const dir = join(repoRoot, '.test-results');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** Appends a measured figure to .test-results/dashboard-figures.json (and prints it). */
export function recordFigure(name: string, value: number, unit: string): void {
  const file = resultPath('dashboard-figures.json');
  const figures = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  figures[name] = { value, unit };
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  process.stderr.write(`[dashboard] ${name}: ${value} ${unit}\n`);
}

export interface DashboardProcess {
  url: string;
  process: ChildProcess;
  lines: string[];
  stop(): Promise<void>;
}

/** Runs `clockwork dashboard <args>` and waits for the URL it prints. */
export async function startDashboard(args: string[], env: Record<string, string>): Promise<DashboardProcess> {
  const child = spawn(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), 'dashboard', ...args, '--port', '0'], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = collectLines(child);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) => child.on('exit', (code) => ((exited = code), resolve())));
  const url = await waitFor(
    'the dashboard URL',
    () => {
      if (exited !== undefined) throw new Error(`clockwork dashboard exited (${exited}):\n${lines.join('\n')}`);
      return lines.map((l) => /^Dashboard on \w+: (http:\/\/\S+)/.exec(l)?.[1]).find(Boolean);
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  return {
    url,
    process: child,
    lines,
    stop: async () => {
      if (exited === undefined) child.kill('SIGTERM');
      await exit;
    },
  };
}

/** The `data-state` of each Resource's node, by name. */
export function nodeStates(page: Page, namespace: string): Promise<Record<string, string | null>> {
  return page.evaluate(
    (ns, names) => Object.fromEntries(names.map((n) => [n, document.querySelector(`[data-resource="${ns}/${n}"]`)?.getAttribute('data-state') ?? null])),
    namespace,
    [...RESOURCES],
  );
}

/** Waits until every Resource of the seed is drawn Ready. */
export async function waitAllReady(page: Page, namespace: string, timeoutMs: number): Promise<void> {
  await page.waitForFunction((ns, names) => names.every((n) => document.querySelector(`[data-resource="${ns}/${n}"]`)?.getAttribute('data-state') === 'Ready'), { timeout: timeoutMs, polling: 'mutation' }, namespace, [...RESOURCES]);
}

/** Where a node or boundary is on the page. */
export function box(page: Page, selector: string): Promise<{ left: number; top: number; right: number; bottom: number }> {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  });
}

export const contains = (outer: { left: number; top: number; right: number; bottom: number }, inner: { left: number; top: number; right: number; bottom: number }) =>
  inner.left >= outer.left && inner.right <= outer.right && inner.top >= outer.top && inner.bottom <= outer.bottom;

/**
 * Starts recording, inside the page, the first moment (epoch ms) each watched condition holds:
 * a MutationObserver sees each change as the page renders it, so the figure is the page's own.
 */
export async function recordChanges(page: Page, watches: Record<string, string>): Promise<void> {
  await page.evaluate((selectors) => {
    const seen: Record<string, number> = {};
    (window as unknown as { __seen: Record<string, number> }).__seen = seen;
    const check = () => {
      for (const [name, selector] of Object.entries(selectors)) if (seen[name] === undefined && document.querySelector(selector)) seen[name] = Date.now();
    };
    new MutationObserver(check).observe(document.body, { subtree: true, attributes: true, childList: true });
    check();
  }, watches);
}

/** When (epoch ms) the page first showed a watched condition; waits for it up to `timeoutMs`. */
export async function seenAt(page: Page, name: string, timeoutMs: number): Promise<number> {
  await page.waitForFunction((n) => (window as unknown as { __seen: Record<string, number> }).__seen[n] !== undefined, { timeout: timeoutMs, polling: 50 }, name);
  return page.evaluate((n) => (window as unknown as { __seen: Record<string, number> }).__seen[n]!, name);
}
