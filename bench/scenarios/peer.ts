// Scenario 5: the same 10-deep Pod chain for kro v0.9.4 — the closest Kubernetes peer — as a
// ResourceGraphDefinition (each Pod's readiness through `readyWhen`, each Pod referencing the one
// before), on the same cluster in the same run, alternating with Clockwork's chain. kro is built
// from the Go module proxy (cached in ~/.cache/clockwork/kro-v0.9.4/) and its CRDs come from the
// same module.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { kubectl, run } from '../../test/harness/index.ts';
import type { Ctx } from '../context.ts';
import { countRequests, flushAudit, KRO_USER, log, OPERATOR_USER, procStats, startProcess, type Proc } from '../env.ts';
import { pool } from '../kube.ts';
import { createAll, createNamespace, KWOK_DELAY, IMAGE } from '../objects.ts';
import { max, median, round } from '../stats.ts';
import { Collection, until } from '../tracker.ts';
import { chainName, runClockworkChain } from './chain.ts';
import { chainDelaySeconds, DEPTH } from './chain-scenario.ts';

export const KRO_VERSION = 'v0.9.4';
/** Chains of the side-by-side at scale (full mode only); kro's own reference is 100 chains in 117 s. */
export const PEER_SCALE_CHAINS = Number(process.env.BENCH_PEER_CHAINS ?? 50);
const KRO_MODULE = 'github.com/kubernetes-sigs/kro';
const kroDir = join(process.env.CLOCKWORK_CACHE ?? join(homedir(), '.cache/clockwork'), `kro-${KRO_VERSION}`);
export const kroBinary = join(kroDir, 'controller');

/** Builds kro's controller from the Go module proxy when it is not cached; returns the module's directory (CRDs). */
export async function ensureKro(): Promise<string> {
  if (!existsSync(kroBinary)) {
    log(`building kro ${KRO_VERSION} into ${kroDir} (go install, once)`);
    await run('go', ['install', `${KRO_MODULE}/cmd/controller@${KRO_VERSION}`], { env: { GOBIN: kroDir }, echo: true, timeoutMs: 3600_000 });
  }
  const r = await run('go', ['mod', 'download', '-json', `${KRO_MODULE}@${KRO_VERSION}`], { timeoutMs: 600_000 });
  return JSON.parse(r.stdout).Dir as string;
}

const podReady = (id: string) => `\${has(${id}.status.conditions) && ${id}.status.conditions.exists(c, c.type == "Ready" && c.status == "True")}`;

/** The RGD: kind BenchChain, Pods p0 ← p1 ← … ← p9 (p_i names p_(i-1) in an annotation, so kro orders them). */
function rgd(depth: number): object {
  const resources = Array.from({ length: depth }, (_, i) => ({
    id: `p${i}`,
    template: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `\${schema.metadata.name}-p${i}`,
        labels: { 'bench.clockwork.dev/kro': 'true' },
        annotations: { [KWOK_DELAY]: '${schema.spec.delay}', ...(i ? { 'bench.clockwork.dev/after': `\${p${i - 1}.metadata.name}` } : {}) },
      },
      spec: { containers: [{ name: 'main', image: IMAGE, ports: [{ containerPort: 8080 }] }] },
    },
    readyWhen: [podReady(`p${i}`)],
  }));
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: 'benchchain' },
    spec: { schema: { apiVersion: 'v1alpha1', kind: 'BenchChain', spec: { delay: 'string | default="0s"' } }, resources },
  };
}

interface KroRun {
  readySeconds: number;
  lastPodReadySeconds: number;
  podHopsMs: number[];
}

async function runKroChain(ctx: Ctx, instances: Collection, ns: string, delay: string, count = 1): Promise<KroRun> {
  await createNamespace(ctx.kube, ns);
  const names = Array.from({ length: count }, (_, i) => `chain${String(i).padStart(3, '0')}`);
  const t0 = performance.now();
  await pool(names, 16, (name) =>
    ctx.kube.req('POST', `/apis/kro.run/v1alpha1/namespaces/${ns}/benchchains`, { apiVersion: 'kro.run/v1alpha1', kind: 'BenchChain', metadata: { name, namespace: ns }, spec: { delay } }),
  );
  await until(`kro ${ns} Ready`, () => names.every((n) => instances.get(ns, n)?.ready), 900_000, 5);
  const readySeconds = (Math.max(...names.map((n) => instances.get(ns, n)!.firstReadyAt!)) - t0) / 1000;
  const pod = (n: string, i: number) => ctx.pods.get(ns, `${n}-p${i}`);
  const podHopsMs: number[] = [];
  let lastPodReady = 0;
  for (const n of names) {
    for (let i = 0; i < DEPTH; i++) {
      lastPodReady = Math.max(lastPodReady, pod(n, i)?.firstReadyAt ?? Number.NaN);
      if (i) podHopsMs.push((pod(n, i)?.addedAt ?? Number.NaN) - (pod(n, i - 1)?.firstReadyAt ?? Number.NaN));
    }
  }
  return { readySeconds, lastPodReadySeconds: (lastPodReady - t0) / 1000, podHopsMs };
}

/** Clockwork's chain with the same pod-level measure (dependent Pod created − dependency Pod Ready). */
async function runCwChain(ctx: Ctx, ns: string, delay: string): Promise<KroRun> {
  const r = await runClockworkChain(ctx, ns, DEPTH, delay);
  const pod = (i: number) => ctx.pods.get(ns, chainName(i));
  const podHopsMs = Array.from({ length: DEPTH - 1 }, (_, i) => (pod(i + 1)?.addedAt ?? Number.NaN) - (pod(i)?.firstReadyAt ?? Number.NaN));
  const lastPodReady = Math.max(...Array.from({ length: DEPTH }, (_, i) => pod(i)?.firstReadyAt ?? Number.NaN));
  return { readySeconds: r.readySeconds, lastPodReadySeconds: (lastPodReady - r.t0) / 1000, podHopsMs };
}

export async function runPeer(ctx: Ctx, operatorPid?: number): Promise<{ summary: Record<string, unknown>; namespaces: string[] }> {
  const moduleDir = await ensureKro();
  await kubectl(['apply', '--server-side', '-f', join(moduleDir, 'helm/crds')]);
  await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/resourcegraphdefinitions.kro.run']);
  const kro: Proc = await startProcess('kro', kroBinary, ['--kubeconfig', ctx.kroKubeconfig, '--metrics-bind-address', '0', '--health-probe-bind-address', '0'], undefined);
  const instances = new Collection(ctx.kube, '/apis/kro.run/v1alpha1/benchchains');
  const kroNamespaces: string[] = [];
  const cwNamespaces: string[] = [];
  try {
    await ctx.kube.req('POST', '/apis/kro.run/v1alpha1/resourcegraphdefinitions', rgd(DEPTH));
    const deadline = performance.now() + 120_000;
    for (;;) {
      const r = await ctx.kube.req('GET', '/apis/kro.run/v1alpha1/resourcegraphdefinitions/benchchain');
      const crd = await ctx.kube.req('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/benchchains.kro.run', undefined, { allow: [404] });
      if (r.body?.status?.state === 'Active' && crd.status === 200) break;
      if (performance.now() > deadline) throw new Error(`kro RGD not Active: ${JSON.stringify(r.body?.status)}\n${kro.lines().slice(-20).join('\n')}`);
      await new Promise((res) => setTimeout(res, 200));
    }
    await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/benchchains.kro.run']);
    for (;;) {
      const r = await ctx.kube.req('GET', '/apis/kro.run/v1alpha1/benchchains', undefined, { allow: [404] });
      if (r.status === 200) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    await instances.start();
    const D = chainDelaySeconds(ctx.quick);
    const reps = ctx.quick ? 1 : 3;
    const kroZero: KroRun[] = [];
    const cwZero: KroRun[] = [];
    const kroDelay: KroRun[] = [];
    const cwDelay: KroRun[] = [];
    // Warm-up for kro (its first instance starts the dynamic controller's informers).
    kroNamespaces.push('bench-kro-warmup');
    await runKroChain(ctx, instances, 'bench-kro-warmup', '0s');
    for (let i = 0; i < reps; i++) {
      // Quick mode: zero delay only (the delayed pair costs 2·10·D seconds).
      const pairs = [['0s', kroZero, cwZero], [`${D * 1000}ms`, kroDelay, cwDelay]] as const;
      for (const [delay, kroRuns, cwRuns] of ctx.quick ? pairs.slice(0, 1) : pairs) {
        const tag = delay === '0s' ? '0ms' : `${D * 1000}ms`;
        const k = await runKroChain(ctx, instances, `bench-kro-${tag}-${i}`, delay);
        kroNamespaces.push(`bench-kro-${tag}-${i}`);
        kroRuns.push(k);
        const c = await runCwChain(ctx, `bench-peer-cw-${tag}-${i}`, delay);
        cwNamespaces.push(`bench-peer-cw-${tag}-${i}`);
        cwRuns.push(c);
        log(`peer ${tag} #${i}: kro ${k.readySeconds.toFixed(2)} s, clockwork ${c.readySeconds.toFixed(2)} s`);
      }
    }
    const summary: Record<string, unknown> = {
      kroVersion: KRO_VERSION,
      kroFlags: 'defaults (dynamic-controller-concurrent-reconciles=1)',
      depth: DEPTH,
      repetitions: reps,
      delaySeconds: D,
      floorSeconds: DEPTH * D,
      kroReadySeconds: round(median(kroDelay.map((r) => r.readySeconds)), 3),
      clockworkReadySeconds: round(median(cwDelay.map((r) => r.readySeconds)), 3),
      kroLastPodReadySeconds: round(median(kroDelay.map((r) => r.lastPodReadySeconds)), 3),
      clockworkLastPodReadySeconds: round(median(cwDelay.map((r) => r.lastPodReadySeconds)), 3),
      kroZeroDelayReadySeconds: round(median(kroZero.map((r) => r.readySeconds)), 3),
      clockworkZeroDelayReadySeconds: round(median(cwZero.map((r) => r.readySeconds)), 3),
      // One watcher (the bench's) times both: dependency Pod Ready → dependent Pod created.
      kroPodHopP50Ms: round(median(kroZero.flatMap((r) => r.podHopsMs)), 1),
      kroPodHopMaxMs: round(max(kroZero.flatMap((r) => r.podHopsMs)), 1),
      clockworkPodHopP50Ms: round(median(cwZero.flatMap((r) => r.podHopsMs)), 1),
      clockworkPodHopMaxMs: round(max(cwZero.flatMap((r) => r.podHopsMs)), 1),
      kroDelayedPodHopP50Ms: round(median(kroDelay.flatMap((r) => r.podHopsMs)), 1),
      kroDelayedPodHopMaxMs: round(max(kroDelay.flatMap((r) => r.podHopsMs)), 1),
      clockworkDelayedPodHopP50Ms: round(median(cwDelay.flatMap((r) => r.podHopsMs)), 1),
      clockworkDelayedPodHopMaxMs: round(max(cwDelay.flatMap((r) => r.podHopsMs)), 1),
    };
    summary.ratio = round((summary.kroReadySeconds as number) / (summary.clockworkReadySeconds as number), 2);
    summary.ratioZeroDelay = round((summary.kroZeroDelayReadySeconds as number) / (summary.clockworkZeroDelayReadySeconds as number), 2);

    if (!ctx.quick) Object.assign(summary, await peerScale(ctx, instances, kro, kroNamespaces, cwNamespaces, operatorPid));

    return { summary, namespaces: cwNamespaces };
  } finally {
    instances.stop();
    await kro.stop();
  }
}

/** 100 chains of 10 Pods at once, zero delay: kro (100 instances) vs Clockwork (100 Composites of a 10-chain). */
async function peerScale(ctx: Ctx, instances: Collection, kro: Proc, kroNamespaces: string[], cwNamespaces: string[], operatorPid?: number): Promise<Record<string, unknown>> {
  const chains = PEER_SCALE_CHAINS;
  const kroCpu0 = procStats(kro.pid).cpuSeconds;
  const wallK0 = Date.now();
  log(`peer scale: kro, ${chains} chains of ${DEPTH}`);
  const k = await runKroChain(ctx, instances, 'bench-kro-scale', '0s', chains);
  kroNamespaces.push('bench-kro-scale');
  const kroCpu = procStats(kro.pid).cpuSeconds - kroCpu0;
  const wallK1 = Date.now();
  const kroStats = procStats(kro.pid);

  const ns = 'bench-peer-cw-scale';
  await createNamespace(ctx.kube, ns);
  cwNamespaces.push(ns);
  const objs: any[] = [];
  const names: string[] = [];
  for (let c = 0; c < chains; c++) {
    const comp = `chain${String(c).padStart(3, '0')}`;
    objs.push({ apiVersion: 'clockwork.dev/v1alpha1', kind: 'Composite', metadata: { name: comp, namespace: ns }, spec: {} });
    for (let i = 0; i < DEPTH; i++) {
      const name = `${comp}-p${i}`;
      names.push(name);
      objs.push({
        apiVersion: 'clockwork.dev/v1alpha1',
        kind: 'Resource',
        metadata: { name, namespace: ns, labels: { 'clockwork.dev/composite': comp } },
        spec: { image: IMAGE, ports: [{ port: 8080 }], ...(i ? { dependsOn: [`${comp}-p${i - 1}`] } : {}) },
      });
    }
  }
  const cwCpu0 = operatorPid ? procStats(operatorPid).cpuSeconds : 0;
  log(`peer scale: clockwork, ${chains} chains of ${DEPTH}`);
  const wallC0 = Date.now();
  const t0 = performance.now();
  await createAll(ctx.kube, objs, 16);
  await until('clockwork chains Ready', () => names.every((n) => ctx.resources.get(ns, n)?.ready), 900_000, 20);
  const cwReady = (Math.max(...names.map((n) => ctx.resources.get(ns, n)!.firstReadyAt!)) - t0) / 1000;
  const cwCpu = operatorPid ? procStats(operatorPid).cpuSeconds - cwCpu0 : Number.NaN;
  // Settle, then count: what the operator still writes after the last Ready counts too.
  await new Promise((r) => setTimeout(r, 3000));
  const wallC1 = Date.now();
  await flushAudit(wallC1);
  const kroReq = countRequests(KRO_USER, wallK0, wallK1);
  const cwReq = countRequests(OPERATOR_USER, wallC0, wallC1);
  log(`peer scale: kro ${k.readySeconds.toFixed(1)} s, clockwork ${cwReady.toFixed(1)} s`);
  return {
    scaleChains: chains,
    kroScaleReadySeconds: round(k.readySeconds, 2),
    clockworkScaleReadySeconds: round(cwReady, 2),
    scaleRatio: round(k.readySeconds / cwReady, 2),
    kroScaleRssMiB: round(kroStats.rssMiB, 1),
    kroScalePeakRssMiB: round(kroStats.hwmMiB, 1),
    kroScaleCpuSeconds: round(kroCpu, 2),
    clockworkScaleCpuSeconds: round(cwCpu, 2),
    kroScaleWritesPerPod: round(kroReq.writes / (chains * DEPTH), 2),
    // These objects are created as `generate | kubectl apply` creates them: the operator adopts each (one write more than scale's).
    clockworkScaleWritesPerResource: round(cwReq.writes / (chains * DEPTH), 2),
    clockworkScaleRequests: cwReq.byResource,
  };
}
