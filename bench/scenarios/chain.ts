// Scenario 1: a dependency chain r00 ← r01 ← … ← r09. Per hop: the dependency's Ready transition
// (its Resource's Ready condition turning True) → the dependent's Pod created, both as the bench's
// watches see them.
import { performance } from 'node:perf_hooks';
import type { Ctx } from '../context.ts';
import { createAll, createNamespace, resource } from '../objects.ts';
import { until } from '../tracker.ts';

export interface ChainRun {
  namespace: string;
  hopsMs: number[];
  /** Bench create → first Pod created. */
  firstPodMs: number;
  readySeconds: number;
  /** performance.now() just before the first create. */
  t0: number;
  /** Per level: Pod created → Pod Ready (kwok), and Pod Ready → Resource Ready (the operator's status path). */
  kwokMs: number[];
  statusMs: number[];
}

export const chainName = (i: number): string => `r${String(i).padStart(2, '0')}`;

export async function runClockworkChain(ctx: Ctx, ns: string, depth: number, delay: string): Promise<ChainRun> {
  await createNamespace(ctx.kube, ns);
  const objs = Array.from({ length: depth }, (_, i) => resource(ns, chainName(i), { delay, ...(i ? { dependsOn: [chainName(i - 1)] } : {}) }));
  const t0 = performance.now();
  await createAll(ctx.kube, objs, depth);
  await until(`chain ${ns} Ready`, () => objs.every((_, i) => ctx.resources.get(ns, chainName(i))?.ready), 120_000, 5).catch((e) => {
    const state = objs.map((_, i) => `${chainName(i)}: resource ${JSON.stringify(ctx.resources.get(ns, chainName(i)))} pod ${JSON.stringify(ctx.pods.get(ns, chainName(i)))}`);
    throw new Error(`${(e as Error).message}\n${state.join('\n')}`);
  });
  const ready = (i: number) => ctx.resources.get(ns, chainName(i))!.firstReadyAt!;
  const podAt = (i: number) => ctx.pods.get(ns, chainName(i))?.addedAt ?? Number.NaN;
  const hopsMs: number[] = [];
  for (let i = 1; i < depth; i++) hopsMs.push(podAt(i) - ready(i - 1));
  const lastReady = Math.max(...objs.map((_, i) => ready(i)));
  const podReady = (i: number) => ctx.pods.get(ns, chainName(i))?.firstReadyAt ?? Number.NaN;
  const kwokMs = objs.map((_, i) => podReady(i) - podAt(i));
  const statusMs = objs.map((_, i) => ready(i) - podReady(i));
  return { namespace: ns, hopsMs, firstPodMs: podAt(0) - t0, readySeconds: (lastReady - t0) / 1000, t0, kwokMs, statusMs };
}
