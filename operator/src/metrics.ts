import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of the operator, and the HTTP server for /metrics, /healthz and /readyz. */
export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({ name: 'clockwork_reconcile_total', help: 'Reconciles by kind and result', labelNames: ['kind', 'result'] as const, registers: [this.registry] });
  readonly reconcileSeconds = new Histogram({ name: 'clockwork_reconcile_duration_seconds', help: 'Reconcile duration', labelNames: ['kind'] as const, buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10], registers: [this.registry] });
  readonly relists = new Counter({ name: 'clockwork_informer_relists_total', help: 'Full lists by informer and reason (initial, expired: 410 Gone, error: after a failed list/watch)', labelNames: ['informer', 'reason'] as const, registers: [this.registry] });
  readonly watchRestarts = new Counter({ name: 'clockwork_informer_watch_restarts_total', help: 'Watches resumed from the last resourceVersion, by informer and reason (silent: inactivity timeout, closed: ended by the server)', labelNames: ['informer', 'reason'] as const, registers: [this.registry] });
  readonly assertionChecks = new Counter({ name: 'clockwork_assertion_checks_total', help: 'Assertion checks by kind and result (passed or failed, after the failure threshold)', labelNames: ['kind', 'result'] as const, registers: [this.registry] });
  readonly leader = new Gauge({ name: 'clockwork_leader', help: '1 while this replica holds the leader Lease (or runs without leader election), else 0', registers: [this.registry] });
  readonly queueDepth = new Gauge({ name: 'clockwork_workqueue_depth', help: 'Keys waiting in the work queue', registers: [this.registry] });
  readonly queueWaitSeconds = new Histogram({ name: 'clockwork_workqueue_wait_seconds', help: 'Time a key waited in the queue', buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 30], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Serves the metrics and probes; `ready()` decides /readyz. Port 0 picks a free port. */
  serve(port: number, ready: () => boolean): Promise<Server> {
    const server = createServer((req, res) => {
      if (req.url === '/metrics') {
        this.registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
          (e: Error) => res.writeHead(500).end(e.message),
        );
      } else if (req.url === '/healthz') res.writeHead(200).end('ok');
      else if (req.url === '/readyz') (ready() ? res.writeHead(200).end('ok') : res.writeHead(503).end('not ready'));
      else res.writeHead(404).end();
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => resolve(server));
    });
  }
}
