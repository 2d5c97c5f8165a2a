// Experiment (not used by `make bench`): preloaded into the operator with
//   BENCH_OPERATOR_NODE_FLAGS="--import ./bench/experiments/reuse-dispatcher.ts" node bench/run.ts ...
// it makes @kubernetes/client-node reuse one undici Agent per cluster+user instead of building a
// new one (new TLS session, new SecureContext, new connection pool) for every API request —
// the fix now in sdk/src/kubernetes/kube-config.ts (reuseConnections), measured without touching the operator.
import { KubeConfig } from '@kubernetes/client-node';

const proto = KubeConfig.prototype as unknown as { createDispatcher(cluster: unknown, opts: unknown): unknown };
const original = proto.createDispatcher;
const cache = new WeakMap<object, Map<string, unknown>>();
proto.createDispatcher = function (this: object, cluster: unknown, opts: unknown) {
  let perConfig = cache.get(this);
  if (!perConfig) cache.set(this, (perConfig = new Map()));
  const key = JSON.stringify([(cluster as { server?: string } | null)?.server, opts]);
  if (!perConfig.has(key)) perConfig.set(key, original.call(this, cluster, opts));
  return perConfig.get(key);
};
