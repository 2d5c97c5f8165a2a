// A minimal Kubernetes API client for the benchmark: keep-alive HTTPS with the kubeconfig's client
// certificate, bounded-concurrency writes, and watches whose events are stamped with the bench
// process's monotonic clock on arrival (condition timestamps only have 1 s granularity).
import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';

export interface Kube {
  server: string;
  req<T = any>(method: string, path: string, body?: unknown, opts?: { allow?: number[]; contentType?: string }): Promise<{ status: number; body: T }>;
  close(): void;
  agentOpts: { ca: Buffer; cert: Buffer; key: Buffer };
}

export function loadKube(kubeconfigPath: string, maxSockets = 24): Kube {
  const cfg = parse(readFileSync(kubeconfigPath, 'utf8'));
  const ctxName = cfg['current-context'];
  const ctx = cfg.contexts.find((c: any) => c.name === ctxName).context;
  const cluster = cfg.clusters.find((c: any) => c.name === ctx.cluster).cluster;
  const user = cfg.users.find((u: any) => u.name === ctx.user).user;
  const agentOpts = {
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
    cert: Buffer.from(user['client-certificate-data'], 'base64'),
    key: Buffer.from(user['client-key-data'], 'base64'),
  };
  const agent = new Agent({ keepAlive: true, maxSockets, ...agentOpts });
  const server: string = cluster.server;
  return {
    server,
    agentOpts,
    close: () => agent.destroy(),
    req(method, path, body, opts = {}) {
      return new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
        const r = request(
          new URL(path, server),
          {
            method,
            agent,
            headers: {
              Accept: 'application/json',
              'User-Agent': 'clockwork-bench',
              ...(data ? { 'Content-Type': opts.contentType ?? 'application/json', 'Content-Length': data.length } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: any = text;
              try {
                parsed = text ? JSON.parse(text) : undefined;
              } catch {
                /* not JSON */
              }
              const status = res.statusCode ?? 0;
              if (status >= 300 && !(opts.allow ?? []).includes(status)) {
                reject(new Error(`${method} ${path}: ${status} ${typeof parsed === 'object' ? parsed?.message : text.slice(0, 300)}`));
              } else resolve({ status, body: parsed });
            });
            res.on('error', reject);
          },
        );
        r.setTimeout(120_000, () => r.destroy(new Error(`${method} ${path}: timeout`)));
        r.on('error', reject);
        r.end(data);
      });
    },
  };
}

/** Runs fn over items with at most `concurrency` in flight. */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: any; t: number };

/**
 * list+watch of a collection path (e.g. /api/v1/pods); every event is handed over with `t`, the
 * performance.now() of its arrival. Restarts the watch (from the last resourceVersion) when it ends.
 */
export function watch(kube: Kube, path: string, onEvent: (e: WatchEvent) => void): { ready: Promise<void>; stop(): void } {
  let stopped = false;
  let current: ReturnType<typeof request> | undefined;
  const agent = new Agent({ keepAlive: false, ...kube.agentOpts });
  let rv = '';
  const start = (): void => {
    if (stopped) return;
    const sep = path.includes('?') ? '&' : '?';
    const url = new URL(`${path}${sep}watch=1&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=3600`, kube.server);
    current = request(url, { agent, headers: { Accept: 'application/json', 'User-Agent': 'clockwork-bench' } }, (res) => {
      let partial = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const t = performance.now();
        partial += chunk;
        let nl: number;
        while ((nl = partial.indexOf('\n')) >= 0) {
          const line = partial.slice(0, nl);
          partial = partial.slice(nl + 1);
          if (!line.trim()) continue;
          const ev = JSON.parse(line) as WatchEvent;
          if (ev.type === 'ERROR') {
            rv = ''; // 410 Gone: relist
            continue;
          }
          rv = ev.object?.metadata?.resourceVersion ?? rv;
          if (ev.type !== 'BOOKMARK') onEvent({ ...ev, t });
        }
      });
      res.on('end', () => setTimeout(restart, 50));
      res.on('error', () => setTimeout(restart, 200));
    });
    current.on('error', () => setTimeout(restart, 200));
    current.end();
  };
  const restart = (): void => {
    if (stopped) return;
    if (rv) start();
    else void list().then(start, () => setTimeout(restart, 500));
  };
  const list = async (): Promise<void> => {
    const r = await kube.req('GET', path);
    const t = performance.now();
    for (const o of r.body.items ?? []) onEvent({ type: 'ADDED', object: o, t });
    rv = r.body.metadata.resourceVersion;
  };
  const ready = (async () => {
    // A CRD just established may answer 429 "storage is (re)initializing" for a moment.
    for (let attempt = 0; ; attempt++) {
      try {
        await list();
        break;
      } catch (e) {
        if (attempt >= 100) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    start();
  })();
  return {
    ready,
    stop() {
      stopped = true;
      current?.destroy();
      agent.destroy();
    },
  };
}

export const isReady = (o: any): boolean =>
  Array.isArray(o?.status?.conditions) && o.status.conditions.some((c: any) => c.type === 'Ready' && c.status === 'True');
