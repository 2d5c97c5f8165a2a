// The HTTP API:
//   GET  /health       200 {status:"ok"} when the database answers, else 503 {status:"unavailable", reason}
//   GET  /metrics      Prometheus text format
//   GET  /items        list (?limit=1..1000, default 100)
//   POST /items        {"name": "..."} → 201 with the stored row
//   GET  /items/:id    one item, or 404
//   DELETE /items/:id  204, or 404
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from './db.ts';
import { errorMessage, log } from './log.ts';
import type { Metrics } from './metrics.ts';

const MAX_BODY_BYTES = 64 * 1024;
const MAX_NAME_LENGTH = 200;

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

interface Reply {
  status: number;
  body?: unknown;
  /** Sent as is (for /metrics), instead of JSON. */
  text?: { contentType: string; content: string };
  headers?: Record<string, string>;
}

interface Route {
  pattern: string;
  match: RegExp;
  methods: Record<string, (req: IncomingMessage, params: string[], url: URL) => Promise<Reply>>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'expected Content-Type: application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

function parseId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1) throw new HttpError(400, `invalid id "${raw}": expected a positive integer`);
  return id;
}

function parseLimit(url: URL): number {
  const raw = url.searchParams.get('limit');
  if (raw === null) return 100;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HttpError(400, 'limit must be an integer from 1 to 1000');
  return limit;
}

/** Database failures become 503 (the API is up, its dependency is not). */
async function fromDb<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new HttpError(503, `database unavailable: ${errorMessage(error)}`);
  }
}

export function createHandler(db: Database, metrics: Metrics): (req: IncomingMessage, res: ServerResponse) => void {
  let lastHealthy: boolean | undefined;

  const routes: Route[] = [
    {
      pattern: '/',
      match: /^\/$/,
      methods: {
        GET: async () => ({ status: 200, body: { service: 'api-service', endpoints: ['GET /health', 'GET /metrics', 'GET /items', 'POST /items', 'GET /items/:id', 'DELETE /items/:id'] } }),
      },
    },
    {
      pattern: '/health',
      match: /^\/health$/,
      methods: {
        GET: async () => {
          const health = await db.health();
          metrics.databaseUp.set(health.ok ? 1 : 0);
          if (health.ok !== lastHealthy) {
            if (health.ok) log.info(`health: ok (database ${db.target} answers)`);
            else log.warn(`health: unavailable (${health.reason})`);
            lastHealthy = health.ok;
          }
          return health.ok
            ? { status: 200, body: { status: 'ok', database: { ok: true, latencyMs: health.latencyMs } } }
            : { status: 503, body: { status: 'unavailable', reason: health.reason } };
        },
      },
    },
    {
      pattern: '/metrics',
      match: /^\/metrics$/,
      methods: {
        GET: async () => ({ status: 200, text: { contentType: metrics.registry.contentType, content: await metrics.registry.metrics() } }),
      },
    },
    {
      pattern: '/items',
      match: /^\/items$/,
      methods: {
        GET: async (_req, _params, url) => {
          const limit = parseLimit(url);
          return { status: 200, body: { items: await fromDb(() => db.listItems(limit)) } };
        },
        POST: async (req) => {
          const body = await readJson(req);
          const name = typeof body === 'object' && body !== null ? (body as { name?: unknown }).name : undefined;
          if (typeof name !== 'string' || name.trim() === '') throw new HttpError(400, 'body must be {"name": "<non-empty string>"}');
          if (name.length > MAX_NAME_LENGTH) throw new HttpError(400, `name longer than ${MAX_NAME_LENGTH} characters`);
          const item = await fromDb(() => db.createItem(name.trim()));
          metrics.itemsCreated.inc();
          return { status: 201, body: item, headers: { location: `/items/${item.id}` } };
        },
      },
    },
    {
      pattern: '/items/:id',
      match: /^\/items\/([^/]+)$/,
      methods: {
        GET: async (_req, [raw]) => {
          const id = parseId(raw);
          const item = await fromDb(() => db.getItem(id));
          if (!item) throw new HttpError(404, `item ${id} not found`);
          return { status: 200, body: item };
        },
        DELETE: async (_req, [raw]) => {
          const id = parseId(raw);
          if (!(await fromDb(() => db.deleteItem(id)))) throw new HttpError(404, `item ${id} not found`);
          return { status: 204 };
        },
      },
    },
  ];

  async function dispatch(req: IncomingMessage, url: URL): Promise<{ route: string; reply: Reply }> {
    for (const route of routes) {
      const m = route.match.exec(url.pathname);
      if (!m) continue;
      const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
      const handler = route.methods[method];
      if (!handler) {
        const allow = Object.keys(route.methods).join(', ');
        return { route: route.pattern, reply: { status: 405, body: { error: `method ${req.method} not allowed; use ${allow}` }, headers: { allow } } };
      }
      return { route: route.pattern, reply: await handler(req, m.slice(1).map(decodeURIComponent), url) };
    }
    return { route: 'unmatched', reply: { status: 404, body: { error: `no route for ${url.pathname}` } } };
  }

  return (req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    let route = 'unmatched';
    dispatch(req, url)
      .then((r) => {
        route = r.route;
        return r.reply;
      })
      .catch((error: unknown): Reply => {
        if (error instanceof HttpError) return { status: error.status, body: { error: error.message } };
        log.error(`${req.method} ${url.pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return { status: 500, body: { error: 'internal error' } };
      })
      .then((reply) => {
        // Routes matched before a handler threw keep their pattern for the metrics labels.
        if (route === 'unmatched') route = routes.find((r) => r.match.test(url.pathname))?.pattern ?? 'unmatched';
        const headers: Record<string, string> = { ...reply.headers };
        let payload = '';
        if (reply.text) {
          headers['content-type'] = reply.text.contentType;
          payload = reply.text.content;
        } else if (reply.body !== undefined) {
          headers['content-type'] = 'application/json; charset=utf-8';
          payload = `${JSON.stringify(reply.body)}\n`;
        }
        res.writeHead(reply.status, headers);
        res.end(req.method === 'HEAD' ? undefined : payload);

        const labels = { method: req.method ?? 'GET', route, status: String(reply.status) };
        metrics.requests.inc(labels);
        metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        // Probes and scrapes come every few seconds; log only the API's own traffic.
        if (route !== '/health' && route !== '/metrics') log.info(`${req.method} ${url.pathname}${url.search} ${reply.status}`);
      });
  };
}
