// Experiment (not used by `make bench`): request latency of @kubernetes/client-node as the operator
// uses it, against a running cluster, with and without reuse of the undici dispatcher:
//   KCFG=.cluster-bench/dbg/kubeconfig node bench/experiments/client-latency.ts [reuse]
import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';
import { performance } from 'node:perf_hooks';
const kc = new KubeConfig(); kc.loadFromFile(process.env.KCFG!);
if (process.argv[2] === 'reuse') await import('./reuse-dispatcher.ts');
const core = kc.makeApiClient(CoreV1Api);
await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'x' }, data: { a: '1' } } }).catch(() => {});
const lat: number[] = [];
const t0 = performance.now();
for (let i = 0; i < 200; i++) { const t = performance.now(); await core.readNamespacedConfigMap({ namespace: 'default', name: 'x' }); lat.push(performance.now() - t); }
const total = performance.now() - t0;
lat.sort((a, b) => a - b);
console.log(process.argv[2] ?? 'default', 'seq 200 reads:', (total / 200).toFixed(1), 'ms avg; p50', lat[100]!.toFixed(1), 'p99', lat[198]!.toFixed(1));
const t1 = performance.now();
await Promise.all(Array.from({ length: 16 }, async () => { for (let i = 0; i < 25; i++) await core.readNamespacedConfigMap({ namespace: 'default', name: 'x' }); }));
console.log('16 concurrent x25:', ((performance.now() - t1)).toFixed(0), 'ms total =', (400 / ((performance.now() - t1) / 1000)).toFixed(0), 'req/s');
