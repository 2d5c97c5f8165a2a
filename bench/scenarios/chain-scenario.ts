// Scenario 1 driver: repetitions of the 10-deep chain with zero readiness delay (per-hop latency,
// time to all Ready) and with a delay D (total time vs the floor 10·D).
import type { Ctx } from '../context.ts';
import { flushAudit, log, OPERATOR_USER, procStats, requestsPerObject } from '../env.ts';
import { median, p99, percentile, round } from '../stats.ts';
import { chainName, runClockworkChain, type ChainRun } from './chain.ts';

export const DEPTH = 10;
export const chainDelaySeconds = (quick: boolean): number => (quick ? 0.5 : 1);

export async function runChainScenario(ctx: Ctx, operatorPid: number): Promise<{ summary: Record<string, unknown>; namespaces: string[] }> {
  const reps = ctx.quick ? 3 : 7;
  const delayReps = ctx.quick ? 1 : 3;
  const D = chainDelaySeconds(ctx.quick);
  const namespaces: string[] = [];
  const cpu0 = procStats(operatorPid).cpuSeconds;
  // One warm-up run (first reconciles JIT-compile the operator's code paths), not counted.
  const warm = await runClockworkChain(ctx, 'bench-chain-warmup', DEPTH, '0s');
  namespaces.push(warm.namespace);
  log(`chain warm-up: ${warm.readySeconds.toFixed(3)} s`);
  const zero: ChainRun[] = [];
  for (let i = 0; i < reps; i++) {
    const r = await runClockworkChain(ctx, `bench-chain-0s-${i}`, DEPTH, '0s');
    namespaces.push(r.namespace);
    zero.push(r);
    log(`chain 0s #${i}: ${r.readySeconds.toFixed(3)} s, hops ${r.hopsMs.map((h) => h.toFixed(0)).join(' ')} ms`);
  }
  const delayed: ChainRun[] = [];
  for (let i = 0; i < delayReps; i++) {
    const r = await runClockworkChain(ctx, `bench-chain-${D * 1000}ms-${i}`, DEPTH, `${D * 1000}ms`);
    namespaces.push(r.namespace);
    delayed.push(r);
    log(`chain ${D}s #${i}: ${r.readySeconds.toFixed(3)} s (floor ${DEPTH * D} s)`);
  }
  const hops = zero.flatMap((r) => r.hopsMs);
  const delayedReady = median(delayed.map((r) => r.readySeconds));
  // Status writes per level: a waiting Resource must not be rewritten on every change upstream,
  // so the deepest gets no more than the first (±1).
  await flushAudit(Date.now());
  const statusWrites = [...zero, ...delayed].map((r) => requestsPerObject(OPERATOR_USER, 'patch clockworkresources/status', r.namespace));
  const writesAt = (level: number) => statusWrites.map((w) => w.get(chainName(level)) ?? 0);
  const kwokMs = median(zero.flatMap((r) => r.kwokMs));
  return {
    namespaces,
    summary: {
      depth: DEPTH,
      repetitions: reps,
      hopSamples: hops.length,
      hopP50Ms: round(median(hops), 1),
      hopP90Ms: round(percentile(hops, 90), 1),
      hopP99Ms: round(p99(hops), 1),
      hopMaxMs: round(Math.max(...hops), 1),
      firstPodMs: round(median(zero.map((r) => r.firstPodMs)), 1),
      // Where a level's time goes: Pod created → Pod Ready (kwok) and Pod Ready → Resource Ready (operator).
      podCreatedToPodReadyMsP50: round(kwokMs, 1),
      // What kwok alone needs for the chain: its own Pod created → Ready, once per level, in series.
      floorSeconds: round((DEPTH * kwokMs) / 1000, 3),
      podReadyToResourceReadyMsP50: round(median(zero.flatMap((r) => r.statusMs)), 1),
      podReadyToResourceReadyMsP99: round(p99(zero.flatMap((r) => r.statusMs)), 1),
      readySeconds: round(median(zero.map((r) => r.readySeconds)), 3),
      readySecondsRuns: zero.map((r) => round(r.readySeconds, 3)),
      overFloorSeconds: round(median(zero.map((r) => r.readySeconds)) - (DEPTH * kwokMs) / 1000, 3),
      statusWritesFirst: median(writesAt(0)),
      statusWritesDeepest: median(writesAt(DEPTH - 1)),
      statusWritesPerLevel: Array.from({ length: DEPTH }, (_, i) => median(writesAt(i))),
      delaySeconds: D,
      delayedRepetitions: delayReps,
      delayedReadySeconds: round(delayedReady, 3),
      delayedFloorSeconds: DEPTH * D,
      delayedOverFloorSeconds: round(delayedReady - DEPTH * D, 3),
      delayedHopP50Ms: round(median(delayed.flatMap((r) => r.hopsMs)), 1),
      operatorCpuSeconds: round(procStats(operatorPid).cpuSeconds - cpu0, 2),
    },
  };
}
