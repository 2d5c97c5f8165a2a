// Scenario 3: the operator's RSS with 10,000 Resources settled (the scale scenario's stack plus
// more Composites of the same shape in another namespace).
import { performance } from 'node:perf_hooks';
import type { Ctx } from '../context.ts';
import { log, operatorFloorMiB, procStats, type OperatorProc } from '../env.ts';
import { createAsApply, createNamespace, resource } from '../objects.ts';
import { median, round } from '../stats.ts';
import { until } from '../tracker.ts';
import { compositeStack } from './scale.ts';

/**
 * Creates Resources up to 10,000 (1,000 quick) and waits until they are all Ready, for at most
 * `budgetMs`; RSS is sampled then (`settled` says whether every Resource was Ready by then).
 */
export async function runMemory(ctx: Ctx, op: OperatorProc, existing: { resources: number; composites: number }, budgetMs: number): Promise<Record<string, unknown>> {
  const target = ctx.quick ? 300 : 10_000;
  const ns = 'bench-memory';
  await createNamespace(ctx.kube, ns);
  const composites = Math.ceil((target - existing.resources - 1) / 10);
  const { objects, names } = compositeStack(ns, composites, 'm', 'shared');
  const all = [resource(ns, 'shared'), ...objects];
  names.unshift('shared');
  log(`memory: creating ${names.length} more Resources (${existing.resources + names.length} in all)`);
  const operatorPid = op.pid;
  const cpu0 = procStats(operatorPid).cpuSeconds;
  const t0 = performance.now();
  await createAsApply(ctx.kube, all, 16);
  let last = 0;
  const countReady = () => names.reduce((n, name) => n + (ctx.resources.get(ns, name)?.ready ? 1 : 0), 0);
  const settled = await until(
    `${names.length} more Resources Ready`,
    () => {
      const n = countReady();
      if (Math.floor(n / 1000) !== Math.floor(last / 1000)) log(`memory: ${n}/${names.length} Ready`);
      last = n;
      return n === names.length;
    },
    budgetMs - (performance.now() - t0),
    100,
  ).then(
    () => true,
    () => false,
  );
  const readySeconds = (performance.now() - t0) / 1000;
  if (!settled) log(`memory: budget of ${Math.round(budgetMs / 1000)} s spent with ${countReady()}/${names.length} Ready; measuring now`);
  // Settled: let the operator finish what follows the last Ready, then sample RSS for a few seconds.
  if (settled) await new Promise((r) => setTimeout(r, 5000));
  const samples: number[] = [];
  for (let i = 0; i < 10; i++) {
    samples.push(procStats(operatorPid).rssMiB);
    await new Promise((r) => setTimeout(r, 500));
  }
  const s = procStats(operatorPid);
  // The V8 heap beside RSS: live objects (used) and what V8 holds for them (total).
  const m = await op.metrics();
  const mib = (x: number | undefined) => (x === undefined ? null : round(x / 2 ** 20, 1));
  const total = [...ctx.resources.byKey.keys()].length;
  const floor = await operatorFloorMiB();
  // BENCH_HEAP_SNAPSHOT=1 (with BENCH_OPERATOR_NODE_FLAGS=--heapsnapshot-signal=SIGUSR2): a heap snapshot of the operator now, in the repository root.
  if (process.env.BENCH_HEAP_SNAPSHOT === '1') {
    process.kill(operatorPid, 'SIGUSR2');
    await new Promise((r) => setTimeout(r, 15_000));
  }
  // Reconcile cost per Resource with 10,000 in the caches, to set beside scale's (1,000): CPU of the operator while these came up.
  const cpuPerResourceMs = ((s.cpuSeconds - cpu0) / names.length) * 1000;
  log(`memory: ${total} Resources, RSS ${median(samples).toFixed(0)} MiB (peak ${s.hwmMiB.toFixed(0)} MiB)`);
  return {
    resources: total,
    addedResources: names.length,
    composites: existing.composites + composites,
    settled,
    readyResources: existing.resources + countReady(),
    ready: existing.resources + countReady(),
    addedReadySeconds: settled ? round(readySeconds, 1) : null,
    readySeconds: settled ? round(readySeconds, 1) : null,
    addedResourcesPerSecond: round(countReady() / readySeconds, 1),
    rssMiB: round(median(samples), 1),
    floorMiB: round(floor, 1),
    heapUsedMiB: mib(m['nodejs_heap_size_used_bytes']),
    heapTotalMiB: mib(m['nodejs_heap_size_total_bytes']),
    externalMiB: mib(m['nodejs_external_memory_bytes']),
    cpuPerResourceMs: round(cpuPerResourceMs, 2),
    peakRssMiB: round(s.hwmMiB, 1),
    rssPerThousandResourcesMiB: round((median(samples) / total) * 1000, 2),
  };
}
