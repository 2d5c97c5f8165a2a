// The dashboard's HTTP server, over real sockets: the built page, /api/stacks, changes pushed as
// server-sent events, logs, env values on request (never a Secret's), read-only, local only.
// The source is scripted here; the real Docker and Kubernetes sources are tested end to end
// (test/e2e/dashboard/).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer } from 'node:net';
import { request } from 'node:http';
import type { ResourceObject } from '../../sdk/src/api/index.ts';
import { DashboardPortError, startDashboardServer, Timeline, type DashboardServer, type DashboardSource, type ReadLogs, type SourceListener, type SourceUpdate } from '../../sdk/src/dashboard/index.ts';
import type { LogsOptions } from '../../sdk/src/targets/logs.ts';
import type { StackReport } from '../../sdk/src/targets/target.ts';

const NS = 'shop';

function update(ready: boolean): SourceUpdate {
  const report: StackReport = {
    target: 'docker',
    namespace: NS,
    ready,
    resources: [{ name: 'db', ready, reason: ready ? 'Ready' : 'Exited', message: ready ? 'ok' : 'container exited with code 1', assertionsSummary: '0/0', assertions: [], dependencies: [], conditions: [] }],
    composites: [],
    orphans: [],
    elapsedMs: 1,
  };
  const spec: ResourceObject = { apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', metadata: { name: 'db', namespace: NS }, spec: { image: 'postgres', env: [{ name: 'POSTGRES_USER', value: 'app' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'db', key: 'token' } } }] } };
  return { reports: [report], specs: new Map([[`${NS}/db`, spec]]) };
}

/** A source that says what the test tells it to. */
class ScriptedSource implements DashboardSource {
  readonly target = 'docker' as const;
  listener: SourceListener | undefined;
  async start(listener: SourceListener): Promise<void> {
    this.listener = listener;
    listener.update(update(true));
  }
  setScope(): void {}
  async stop(): Promise<void> {}
}

/** Log reading as the target does it: what was asked for is recorded, two lines come back. */
const logRequests: LogsOptions[] = [];
const readLogs: ReadLogs = async function* (options) {
  logRequests.push(options);
  yield { resource: options.resources[0]!, text: 'database system is ready to accept connections', time: '2026-05-01T10:00:00.000000000Z', kind: 'output' };
  yield { resource: options.resources[0]!, text: 'container exited with code 0', kind: 'event' };
};

let source: ScriptedSource;
let server: DashboardServer;

beforeAll(async () => {
  source = new ScriptedSource();
  server = await startDashboardServer({ source, timeline: new Timeline(), readLogs, title: 'the test stack', port: 0 });
});

afterAll(() => server?.close());

/** Reads server-sent events until `until` says stop. */
async function readEvents(path: string, until: (events: { event: string; data: unknown }[]) => boolean, onOpen?: () => void): Promise<{ event: string; data: unknown }[]> {
  const controller = new AbortController();
  const response = await fetch(new URL(path, server.url), { signal: controller.signal });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  onOpen?.();
  const events: { event: string; data: unknown }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body!) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
    if (until(events)) break;
  }
  controller.abort();
  return events;
}

describe('the dashboard server', () => {
  test('serves the built page, which loads only its own files', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/assets/app.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const script = await fetch(new URL('/assets/app.js', server.url));
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await script.text()).length).toBeGreaterThan(1000);
    expect((await fetch(new URL('/assets/app.css', server.url))).status).toBe(200);
  });

  test('/api/stacks: what the page shows', async () => {
    const body = (await (await fetch(new URL('/api/stacks', server.url))).json()) as { scope: string; stacks: { resources: { id: string; state: string }[] }[] };
    expect(body.scope).toBe('the test stack');
    expect(body.stacks[0]!.resources.map((r) => `${r.id}:${r.state}`)).toEqual(['shop/db:Ready']);
  });

  test('/api/events: the state at once, then each change as it happens', async () => {
    const events = await readEvents(
      '/api/events',
      (e) => e.length >= 2,
      () => setTimeout(() => source.listener!.update(update(false)), 50),
    );
    const states = events.map((e) => (e.data as { stacks: { resources: { state: string }[] }[] }).stacks[0]!.resources[0]!.state);
    expect(states).toEqual(['Ready', 'Failing']);
    source.listener!.update(update(true));
  });

  test("/api/logs: the target's log lines as events, then the end when not following", async () => {
    const events = await readEvents('/api/logs?resource=shop/db&tail=10&follow=0', (e) => e.some((x) => x.event === 'end'));
    expect(events.filter((e) => e.event === 'line').map((e) => e.data)).toEqual([
      { at: '2026-05-01T10:00:00.000000000Z', text: 'database system is ready to accept connections', kind: 'output' },
      { text: 'container exited with code 0', kind: 'event' },
    ]);
    expect(logRequests.at(-1)).toMatchObject({ namespace: 'shop', resources: ['db'], tail: 10, follow: false });
    expect((await fetch(new URL('/api/logs?resource=shop/nothing', server.url))).status).toBe(404);
    expect((await fetch(new URL('/api/logs', server.url))).status).toBe(400);
  });

  test("/api/env: the values on request; a Secret's value never (only its name and key)", async () => {
    const body = await (await fetch(new URL('/api/env?resource=shop/db', server.url))).json();
    expect(body).toEqual({ resource: 'shop/db', env: [{ name: 'POSTGRES_USER', from: 'value', value: 'app' }, { name: 'TOKEN', from: 'secretKeyRef', ref: 'db/token' }] });
    const stacks = await (await fetch(new URL('/api/stacks', server.url))).text();
    expect(stacks).toContain('"POSTGRES_USER"');
    expect(stacks).not.toContain('"app"');
  });

  test('read-only: anything but GET is refused', async () => {
    const response = await fetch(new URL('/api/stacks', server.url), { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  test('a request for another host name (DNS rebinding) is refused; localhost and IPs are served', async () => {
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const url = new URL('/api/stacks', server.url);
        request({ host: url.hostname, port: url.port, path: url.pathname, headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    expect(await status('attacker.example:18400')).toBe(403);
    expect(await status(`localhost:${server.port}`)).toBe(200);
    expect(await status(`127.0.0.1:${server.port}`)).toBe(200);
  });

  test('a port in use: the next free one when asked, otherwise a clear error', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const next = await startDashboardServer({ source: new ScriptedSource(), timeline: new Timeline(), readLogs, title: 't', port: taken, nextFreePort: true });
      expect(next.port).toBeGreaterThan(taken);
      await next.close();
      await expect(startDashboardServer({ source: new ScriptedSource(), timeline: new Timeline(), readLogs, title: 't', port: taken })).rejects.toThrow(DashboardPortError);
    } finally {
      blocker.close();
    }
  });
});
