import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { Asset } from './assets.ts';
import { envValues } from './build-model.ts';
import type { LiveDashboard } from './live-dashboard.ts';
import { streamLogs, type ReadLogs } from './log-stream.ts';
import { openEventStream } from './sse.ts';

/** The page may load only its own files and talk only to this server. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const MAX_TAIL_LINES = 5000;

/**
 * The dashboard's HTTP server, read-only (GET only):
 *   /                   the page          /assets/app.js, /assets/app.css
 *   /api/stacks         what the page shows (JSON)
 *   /api/events         the same, pushed on every change (server-sent events, `stacks` events)
 *   /api/logs?resource=ns/name&tail=200&follow=1   a Resource's log (server-sent events)
 *   /api/env?resource=ns/name                      its env values, on request (never a Secret's)
 */
export function createDashboardServer(options: { dashboard: LiveDashboard; readLogs: ReadLogs; assets: ReadonlyMap<string, Asset> }): Server {
  const { dashboard, readLogs, assets } = options;
  const server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      if (!response.headersSent) json(response, 500, { error: (error as Error).message });
      else response.destroy();
    }
  });
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return json(response, 405, { error: 'the dashboard is read-only: GET only' }, { allow: 'GET, HEAD' });
    if (!allowedHost(request.headers.host)) return json(response, 403, { error: `Host "${request.headers.host ?? ''}" is not this dashboard (use its address: localhost or an IP)` });
    const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
    const path = url.pathname;
    if (path === '/' || path === '/index.html') return asset(response, assets.get('index.html'));
    if (path.startsWith('/assets/')) return asset(response, assets.get(path.slice('/assets/'.length)));
    if (path === '/api/stacks') return json(response, 200, dashboard.snapshot);
    if (path === '/api/events') {
      const stream = openEventStream(request, response);
      stream.send('stacks', dashboard.snapshot);
      const unsubscribe = dashboard.subscribe((snapshot) => stream.send('stacks', snapshot));
      stream.signal.addEventListener('abort', unsubscribe, { once: true });
      return;
    }
    if (path === '/api/logs' || path === '/api/env') {
      const id = resourceParam(url);
      if (!id) return json(response, 400, { error: 'resource=<namespace>/<name> is required' });
      if (!dashboard.snapshot.stacks.some((s) => s.resources.some((r) => r.id === id.id))) return json(response, 404, { error: `no Resource ${id.id} is shown` });
      if (path === '/api/env') return json(response, 200, { resource: id.id, env: envValues(dashboard.spec(id.namespace, id.name)) });
      const tail = Math.min(MAX_TAIL_LINES, Math.max(0, Number(url.searchParams.get('tail') ?? 200) || 0));
      const stream = openEventStream(request, response);
      void streamLogs({ readLogs, stream, namespace: id.namespace, name: id.name, tail, follow: url.searchParams.get('follow') === '1' });
      return;
    }
    json(response, 404, { error: `no such page: ${path}` });
  };
  return server;
}

function resourceParam(url: URL): { id: string; namespace: string; name: string } | undefined {
  const value = url.searchParams.get('resource') ?? '';
  const m = /^([a-z0-9][a-z0-9.-]{0,252})\/([a-z0-9][a-z0-9.-]{0,252})$/.exec(value);
  return m ? { id: value, namespace: m[1]!, name: m[2]! } : undefined;
}

/**
 * Only an IP address or localhost: a page from elsewhere that re-points its own host name at
 * 127.0.0.1 (DNS rebinding) gets nothing.
 */
export function allowedHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || isIP(name) !== 0;
}

function asset(response: ServerResponse, file: Asset | undefined): void {
  if (!file) return json(response, 404, { error: 'no such file' });
  response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.body.length, 'cache-control': 'no-cache', ...SECURITY_HEADERS });
  response.end(file.body);
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers });
  response.end(text);
}
