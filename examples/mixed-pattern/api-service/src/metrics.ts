// Prometheus metrics: the default Node process metrics plus HTTP request count and latency per
// route (the route pattern, not the raw path, so the label set stays small).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route' | 'status'>;
  databaseUp: Gauge;
  itemsCreated: Counter;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'api-service' });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by method, route and status code',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency in seconds, by method, route and status code',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    databaseUp: new Gauge({
      name: 'api_database_up',
      help: '1 when the last health check reached the database, else 0',
      registers: [registry],
    }),
    itemsCreated: new Counter({
      name: 'api_items_created_total',
      help: 'Items created through POST /items',
      registers: [registry],
    }),
  };
}
