// Scenario 2: 100 Composites of 10 Resources (a 3-level graph: db ← 3 apis ← 6 workers), every db
// depending on one shared standalone Resource: time to all Ready, the operator's API requests per
// Resource (from the apiserver's audit log, by the operator's own identity), peak RSS and CPU.
import { performance } from 'node:perf_hooks';
import type { Ctx } from '../context.ts';
import { type OperatorProc, clusterCpu, countRequests, cpuDelta, flushAudit, log, OPERATOR_USER, procStats, sampleRss } from '../env.ts';
import { composite, createAsApply, createNamespace, resource } from '../objects.ts';
import { until } from '../tracker.ts';
import { median, p99, percentile, round } from '../stats.ts';

/** Composites of 10 Resources in 3 levels; `shared` is the standalone every db depends on. */
export function compositeStack(ns: string, composites: number, prefix: string, shared: string): { objects: any[]; names: string[] } {
  const objects: any[] = [];
  const names: string[] = [];
  for (let c = 0; c < composites; c++) {
    const comp = `${prefix}${String(c).padStart(4, '0')}`;
    objects.push(composite(ns, comp));
    const db = `${comp}-db`;
    objects.push(resource(ns, db, { composite: comp, dependsOnAnnotation: [shared] }));
    names.push(db);
    for (let a = 0; a < 3; a++) {
      objects.push(resource(ns, `${comp}-api${a}`, { composite: comp, dependsOn: [db] }));
      names.push(`${comp}-api${a}`);
    }
    for (let w = 0; w < 6; w++) {
      objects.push(resource(ns, `${comp}-worker${w}`, { composite: comp, dependsOn: [`${comp}-api${w % 3}`] }));
      names.push(`${comp}-worker${w}`);
    }
  }
  return { objects, names };
}

export interface ScaleResult {
  namespace: string;
  resourceNames: string[];
  summary: Record<string, any> & { resources: number };
}

export async function runScale(ctx: Ctx, op: OperatorProc): Promise<ScaleResult> {
  const operatorPid = op.pid;
  const m0 = await op.metrics();
  const ns = 'bench-scale';
  const composites = ctx.quick ? 10 : 100;
  await createNamespace(ctx.kube, ns);
  const { objects, names } = compositeStack(ns, composites, 'c', 'shared');
  const all = [resource(ns, 'shared'), ...objects];
  names.unshift('shared');
  const rss = sampleRss(operatorPid);
  const before = procStats(operatorPid);
  const cluster0 = clusterCpu();
  const wall0 = Date.now();
  const t0 = performance.now();
  log(`scale: creating ${names.length} Resources in ${composites} Composites`);
  await createAsApply(ctx.kube, all, 16);
  const created = performance.now();
  let last = 0;
  await until(
    `${names.length} Resources Ready`,
    () => {
      let n = 0;
      for (const name of names) if (ctx.resources.get(ns, name)?.ready) n++;
      if (n !== last && performance.now() - t0 > 5000 && Math.floor(n / 200) !== Math.floor(last / 200)) log(`scale: ${n}/${names.length} Ready`);
      last = n;
      return n === names.length;
    },
    900_000,
    50,
  );
  const lastReady = Math.max(...names.map((n) => ctx.resources.get(ns, n)!.firstReadyAt!));
  const readySeconds = (lastReady - t0) / 1000;
  // Settle: whatever the operator still does after the last Ready counts too.
  await new Promise((r) => setTimeout(r, 3000));
  const after = procStats(operatorPid);
  const m1 = await op.metrics();
  const operatorMetrics = Object.fromEntries(Object.keys(m1).filter((k) => /reconcile|workqueue_wait/.test(k)).map((k) => [k, round(m1[k]! - (m0[k] ?? 0), 3)]));
  const clusterCpuSeconds = cpuDelta(cluster0, clusterCpu());
  const podsCreatedAt = names.map((n) => ctx.pods.get(ns, n)?.addedAt ?? Number.NaN);
  const podsReadyAt = names.map((n) => ctx.pods.get(ns, n)?.firstReadyAt ?? Number.NaN);
  const resReadyAt = names.map((n) => ctx.resources.get(ns, n)!.firstReadyAt!);
  const q = (xs: number[], p: number) => round((percentile(xs, p) - t0) / 1000, 2);
  const timeline = {
    podsCreatedP50: q(podsCreatedAt, 50),
    podsCreatedMax: q(podsCreatedAt, 100),
    podsReadyP50: q(podsReadyAt, 50),
    podsReadyMax: q(podsReadyAt, 100),
    resourcesReadyP50: q(resReadyAt, 50),
    resourcesReadyMax: q(resReadyAt, 100),
  };
  // Lag between a Pod turning Ready and its Resource reporting Ready (the operator's status path).
  const statusLagMs = names.map((_, i) => resReadyAt[i]! - podsReadyAt[i]!);
  rss.stop();
  const wall1 = Date.now();
  await flushAudit(wall1);
  const req = countRequests(OPERATOR_USER, wall0, wall1);
  const n = names.length;
  const top = Object.entries(req.byResource).sort((a, b) => b[1] - a[1]);
  const eventWrites = (req.byResource['create events'] ?? 0) + (req.byResource['patch events'] ?? 0) + (req.byResource['update events'] ?? 0);
  log(`scale: ${n} Ready in ${readySeconds.toFixed(1)} s; requests ${JSON.stringify(Object.fromEntries(top))}`);
  return {
    namespace: ns,
    resourceNames: names,
    summary: {
      resources: n,
      composites,
      createSeconds: round((created - t0) / 1000, 2),
      readySeconds: round(readySeconds, 2),
      resourcesPerSecond: round(n / readySeconds, 1),
      readsPerResource: round(req.reads / n, 2),
      writesPerResource: round(req.writes / n, 2),
      writesPerResourceExclEvents: round((req.writes - eventWrites) / n, 2),
      watchRequests: req.watches,
      requests: Object.fromEntries(top),
      peakRssMiB: round(Math.max(after.hwmMiB, rss.peakMiB()), 1),
      rssBeforeMiB: round(before.rssMiB, 1),
      rssAfterMiB: round(after.rssMiB, 1),
      cpuSeconds: round(after.cpuSeconds - before.cpuSeconds, 2),
      timelineSeconds: timeline,
      podReadyToResourceReadyMsP50: round(median(statusLagMs), 1),
      podReadyToResourceReadyMsP99: round(p99(statusLagMs), 1),
      clusterCpuSeconds,
      operatorMetrics,
      cpuSecondsPerResourceMs: round(((after.cpuSeconds - before.cpuSeconds) / n) * 1000, 2),
    },
  };
}
