// `clockwork dashboard` on the real Docker engine, in a real browser: the seed example Ready
// inside its Composite; postgres-db stopped behind Clockwork's back shows within 2 s, with
// api-service's blocking edge highlighted and the failed check in its history; it recovers;
// logs are followed across a restart; keyboard navigation; nothing polled; env on request.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { docker, repoRoot, run, waitFor } from '../../harness/index.ts';
import { box, contains, imageMap, nodeStates, openPage, recordChanges, recordFigure, resultPath, seenAt, STACK, startDashboard, waitAllReady, type BrowserSession, type DashboardProcess } from './support.ts';

const NS = 'dash-docker';
let env: Record<string, string> = {};
let dashboard: DashboardProcess | undefined;
let session: BrowserSession | undefined;
const page = () => session!.page;

const clockwork = (args: string[]) => run(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), ...args, '-n', NS, '--target', 'docker'], { cwd: repoRoot, allowFailure: true, timeoutMs: 300_000, env });

beforeAll(async () => {
  await run('bash', [join(repoRoot, 'test/images/build-example-images.sh')], { timeoutMs: 600_000 });
  env = { CLOCKWORK_IMAGE_MAP: imageMap() };
  const applied = await clockwork(['apply', STACK, '--timeout', '180']);
  if (applied.code !== 0) throw new Error(`apply failed:\n${applied.stdout}\n${applied.stderr}`);
  dashboard = await startDashboard([STACK, '-n', NS, '--target', 'docker'], env);
  session = await openPage(dashboard.url);
}, 600_000);

afterAll(async () => {
  await session?.close();
  await dashboard?.stop();
  await clockwork(['destroy', STACK]);
}, 120_000);

describe('clockwork dashboard on Docker, in a browser', () => {
  test('every Resource of the seed is Ready; postgres-db and api-service inside the webapp boundary, prometheus outside', async () => {
    await waitAllReady(page(), NS, 60_000);
    const webapp = await box(page(), `[data-composite="${NS}/webapp"]`);
    for (const name of ['postgres-db', 'api-service']) expect(`${name} inside: ${contains(webapp, await box(page(), `[data-resource="${NS}/${name}"]`))}`).toBe(`${name} inside: true`);
    expect(contains(webapp, await box(page(), `[data-resource="${NS}/prometheus"]`))).toBe(false);
    expect(await page().$eval(`[data-resource="${NS}/postgres-db"] .node-state`, (el) => el.textContent)).toBe('Ready');
    // /api/stacks returns what the page shows.
    const api = (await (await fetch(new URL('/api/stacks', dashboard!.url))).json()) as { stacks: { resources: { id: string; state: string }[] }[] };
    const shown = await nodeStates(page(), NS);
    expect(Object.fromEntries(api.stacks[0]!.resources.map((r) => [r.id.split('/')[1], r.state]))).toEqual(shown);
    await page().screenshot({ path: resultPath('dashboard-docker-ready.png'), fullPage: true });
  }, 90_000);

  test('keyboard: Tab reaches a node, arrow keys move between nodes, Enter opens the details, Escape closes them', async () => {
    const focused = () => page().evaluate(() => document.activeElement?.getAttribute('data-resource') ?? null);
    await page().evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page().keyboard.press('Tab');
    expect(await focused()).toMatch(new RegExp(`^${NS}/`));
    // api-service is the one node below the others (its dependencies are drawn above it).
    await page().keyboard.press('ArrowDown');
    expect(await focused()).toBe(`${NS}/api-service`);
    await page().keyboard.press('ArrowUp');
    expect([`${NS}/postgres-db`, `${NS}/prometheus`]).toContain(await focused());
    await page().keyboard.press('ArrowDown');
    await page().keyboard.press('Enter');
    await page().waitForSelector(`[data-panel="${NS}/api-service"]`);
    expect(await page().$eval(`[data-resource="${NS}/api-service"]`, (el) => el.getAttribute('aria-pressed'))).toBe('true');
    await page().keyboard.press('Escape');
    await page().waitForFunction(() => !document.querySelector('[data-panel]'));
  });

  test("docker stop postgres-db: within 2 s its node is not Ready and api-service's blocking edge is highlighted; the failed check shows in api-service's history; it recovers", async () => {
    await page().click(`[data-resource="${NS}/api-service"]`);
    await page().waitForSelector(`[data-panel="${NS}/api-service"] [data-assertion="healthy"] [data-check]`);
    await recordChanges(page(), {
      notReady: `[data-resource="${NS}/postgres-db"]:not([data-state="Ready"])`,
      blocking: `[data-edge="${NS}/api-service->${NS}/postgres-db"][data-blocking="true"]`,
      apiWaiting: `[data-resource="${NS}/api-service"][data-state="Waiting"]`,
      failedCheck: `[data-panel="${NS}/api-service"] [data-assertion="healthy"] [data-passed="false"][data-check]`,
    });
    const stopIssued = Date.now();
    await docker(['stop', `clockwork-${NS}-postgres-db`]);
    const stopReturned = Date.now();
    const finishedAt = Date.parse((await docker(['inspect', '-f', '{{.State.FinishedAt}}', `clockwork-${NS}-postgres-db`])).stdout.trim().replace(/(\.\d{3})\d*Z$/, '$1Z'));
    const notReady = await seenAt(page(), 'notReady', 10_000);
    const blocking = await seenAt(page(), 'blocking', 10_000);
    await seenAt(page(), 'apiWaiting', 10_000);
    recordFigure('docker: container exited → node not Ready on the page', notReady - finishedAt, 'ms');
    recordFigure('docker: docker stop returned → node not Ready on the page', Math.max(0, notReady - stopReturned), 'ms');
    recordFigure('docker: docker stop issued → node not Ready on the page', notReady - stopIssued, 'ms');
    expect(notReady - Math.min(finishedAt, stopReturned)).toBeLessThan(2000);
    expect(blocking - Math.min(finishedAt, stopReturned)).toBeLessThan(2000);
    const states = await nodeStates(page(), NS);
    expect(states['postgres-db']).toBe('Failing');
    expect(states['api-service']).toBe('Waiting');
    expect(await page().$eval(`[data-panel="${NS}/api-service"] [data-blocked-by]`, (el) => el.getAttribute('data-blocked-by'))).toBe(`${NS}/postgres-db`);
    // Checked every second: the failed check is in the history within a few.
    const failedCheck = await seenAt(page(), 'failedCheck', 15_000);
    recordFigure('docker: container exited → failed check in the history', failedCheck - finishedAt, 'ms');
    // Tall enough for the panel to show the conditions and the assertion history (the README's picture).
    await page().setViewport({ width: 1440, height: 1240 });
    await page().screenshot({ path: resultPath('dashboard-docker-blocked.png') });
    await page().setViewport({ width: 1440, height: 900 });

    await docker(['start', `clockwork-${NS}-postgres-db`]);
    await waitAllReady(page(), NS, 60_000);
    expect(await page().$eval(`[data-edge="${NS}/api-service->${NS}/postgres-db"]`, (el) => el.getAttribute('data-blocking'))).toBe('false');
    await page().click(`[data-resource="${NS}/postgres-db"]`);
    const transitions = await page().$$eval(`[data-panel="${NS}/postgres-db"] .timeline li`, (items) => items.map((li) => li.getAttribute('data-reason')));
    expect(transitions).toEqual(expect.arrayContaining(['Died', 'Started', 'Exited', 'Ready']));
  }, 120_000);

  test("postgres-db's log: the last lines, then followed across a restart", async () => {
    await page().click(`[data-resource="${NS}/postgres-db"]`);
    const readyLines = () => page().$$eval('.log-line', (lines) => lines.filter((l) => l.textContent?.includes('database system is ready to accept connections')).length);
    await waitFor('the log tail', async () => (await readyLines()) >= 1, { timeoutMs: 15_000 });
    const before = await readyLines();
    await waitFor('the log followed', () => page().$eval('.logs-status', (el) => el.textContent === 'following'), { timeoutMs: 10_000 });
    await docker(['restart', `clockwork-${NS}-postgres-db`]);
    await waitFor('the restart in the followed log', async () => (await readyLines()) > before, { timeoutMs: 30_000 });
    await waitAllReady(page(), NS, 60_000);
  }, 90_000);

  test('live without polling: an idle page sends no requests; env values appear only when asked for', async () => {
    await page().click(`[data-resource="${NS}/api-service"]`);
    await page().waitForSelector(`[data-panel="${NS}/api-service"] [data-env="POSTGRES_USER"]`);
    const requests: string[] = [];
    const onRequest = (r: { url(): string }) => requests.push(r.url());
    page().on('request', onRequest);
    // The page keeps changing meanwhile (a check a second) and sends nothing for it.
    const updated = await page().$eval('.connection', (el) => el.textContent);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await page().$eval('.connection', (el) => el.textContent)).not.toBe(updated);
    expect(requests).toEqual([]);
    expect(await page().$eval(`[data-env="POSTGRES_USER"] td`, (el) => el.textContent)).toBe('hidden');
    await page().click('.env button.link');
    await page().waitForSelector('[data-env="POSTGRES_USER"] .env-value');
    expect(await page().$eval('[data-env="POSTGRES_USER"] .env-value', (el) => el.textContent)).toBe('app');
    page().off('request', onRequest);
    expect(requests.map((u) => new URL(u).pathname)).toEqual(['/api/env']);
  }, 30_000);

  test('--all: the same stack read from the docker alone, with no stack file', async () => {
    const all = await startDashboard(['--all', '-n', NS, '--target', 'docker'], env);
    try {
      const body = (await (await fetch(new URL('/api/stacks', all.url))).json()) as { scope: string; stacks: { namespace: string; resources: { name: string; state: string; composite?: string }[]; composites: { id: string }[] }[] };
      expect(body.scope).toBe(`every stack in namespace "${NS}"`);
      expect(body.stacks.map((s) => s.namespace)).toEqual([NS]);
      expect(body.stacks[0]!.resources.map((r) => `${r.name}:${r.state}:${r.composite ?? ''}`).sort()).toEqual([`api-service:Ready:${NS}/webapp`, `postgres-db:Ready:${NS}/webapp`, 'prometheus:Ready:']);
      expect(body.stacks[0]!.composites.map((c) => c.id)).toEqual([`${NS}/webapp`]);
    } finally {
      await all.stop();
    }
  }, 60_000);
});
