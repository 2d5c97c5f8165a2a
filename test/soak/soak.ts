// `make soak`: the long soak on its own kwok cluster (.cluster-soak/, removed afterwards):
// 1,000 Resources, 10% changed and 10% deleted and recreated every minute for 10 minutes.
// Prints RSS over time, per-wave convergence, reconcile errors and apiserver request counts, and
// exits 1 when memory grows after the first wave, errors grow, the queue does not drain or the
// request count is not proportional to the changes.
//   node test/soak/soak.ts [--resources 1000] [--waves 10] [--interval 60] [--fraction 0.1]
// With SOAK_USE_CLUSTER=1 it uses the cluster of CLOCKWORK_CLUSTER_DIR (e.g. `make cluster-up`) instead.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { kubectl, repoRoot, startCluster, stopCluster } from '../harness/index.ts';
import { stopClusterSync } from '../harness/cluster.ts';
import { ensureCrds } from '../integration/operator/support.ts';
import { formatSoak, runSoak, soakProblems } from './soak-run.ts';

const { values } = parseArgs({
  options: {
    resources: { type: 'string', default: '1000' },
    waves: { type: 'string', default: '10' },
    interval: { type: 'string', default: '60' },
    fraction: { type: 'string', default: '0.1' },
  },
});

const own = !process.env.SOAK_USE_CLUSTER;
const dir = own ? resolve(repoRoot, '.cluster-soak') : (process.env.CLOCKWORK_CLUSTER_DIR ?? resolve(repoRoot, '.cluster'));
process.env.CLOCKWORK_CLUSTER_DIR = dir;
let code = 1;
// Ctrl-C or a kill: still stop the cluster this script started.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    if (own) stopClusterSync(dir);
    process.exit(130);
  });
}
try {
  if (own) {
    const info = await startCluster('kwok', dir);
    process.env.KUBECONFIG = info.kubeconfig;
  }
  await ensureCrds();
  const namespace = `soak-${Date.now() % 1_000_000}`;
  await kubectl(['create', 'namespace', namespace]);
  const t0 = Date.now();
  const figures = await runSoak({
    namespace,
    resources: Number(values.resources),
    waves: Number(values.waves),
    intervalMs: Number(values.interval) * 1000,
    fraction: Number(values.fraction),
  });
  console.log(`\nsoak: ${values.resources} Resources, ${values.waves} waves every ${values.interval} s, ${Number(values.fraction) * 100}% changed + ${Number(values.fraction) * 100}% recreated per wave, ${Math.round((Date.now() - t0) / 1000)} s in all`);
  console.log(formatSoak(figures));
  const problems = soakProblems(figures);
  console.log(problems.length ? `\nFAIL:\n  ${problems.join('\n  ')}` : '\nOK: memory flat after the first wave, no growing errors, the queue drained after each wave, requests proportional to changes');
  code = problems.length ? 1 : 0;
  await kubectl(['delete', 'namespace', namespace, '--wait=false'], { allowFailure: true });
} catch (e) {
  console.error(e instanceof Error ? e.stack : e);
} finally {
  if (own) await stopCluster(dir).catch((e: unknown) => console.error(e));
}
process.exit(code);
