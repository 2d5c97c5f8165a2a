// Shared by the reliability tests: the operator as a separate process with its own kubeconfig,
// namespace, metrics port and leader-election flags; rollouts of many Resources; the checks that
// a converged namespace has exactly one Pod/Service/ConfigMap per Resource and true conditions.
import { spawn, type ChildProcess } from 'node:child_process';
import { OPERATOR_NODE_FLAGS } from '../../../operator/src/main/node-flags.ts';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterInfo, collectLines, kubectl, kubectlApply, kubectlJson, repoRoot, waitFor } from '../../harness/index.ts';

export { ensureCrds, resource, composite, newNamespace, deleteNamespaces, getObject, waitReady, waitCondition, conditionOf } from '../operator/support.ts';
import { deleteNamespaces, newNamespace } from '../operator/support.ts';
export { kubectl, kubectlApply, kubectlJson, waitFor, clusterInfo };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A free local TCP port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

export interface OperatorOptions {
  /** Watch one namespace (default: all). */
  namespace?: string;
  kubeconfig?: string;
  /** Lease namespace: run with leader election (default: --no-leader-elect). */
  leaseNamespace?: string;
  workers?: number;
  /** Wait for "operator started" (default true; a standby replica never logs it). */
  waitStarted?: boolean;
  extraArgs?: string[];
}

export interface Operator {
  process: ChildProcess;
  pid: number;
  metricsPort: number;
  logs(): string[];
  /** Parsed log lines (winston JSON). */
  entries(): Record<string, any>[];
  exited(): boolean;
  exitCode: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Prometheus metrics, summed per name over the label sets that match `labels`. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Resident set size in MiB, from /proc. */
  rssMiB(): number;
}

export async function startOperator(o: OperatorOptions = {}): Promise<Operator> {
  const metricsPort = await freePort();
  const args = [
    ...OPERATOR_NODE_FLAGS, join(repoRoot, 'sdk/src/cli/main.ts'), 'operator',
    '--kubeconfig', o.kubeconfig ?? clusterInfo().kubeconfig,
    '--metrics-port', String(metricsPort),
    '--workers', String(o.workers ?? 4),
    '--log-level', 'debug',
    '--termination-grace-period', '1',
    ...(o.namespace ? ['--namespace', o.namespace] : []),
    ...(o.leaseNamespace ? ['--leader-elect', '--lease-namespace', o.leaseNamespace] : ['--no-leader-elect']),
    ...(o.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = collectLines(child);
  let exited: number | null | undefined;
  const exitCode = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve((exited = code ?? (signal ? -1 : null)))));
  const op: Operator = {
    process: child,
    pid: child.pid!,
    metricsPort,
    logs: () => [...lines],
    entries: () => lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, any>];
      } catch {
        return [];
      }
    }),
    exited: () => exited !== undefined,
    exitCode,
    async stop(signal = 'SIGTERM') {
      if (exited !== undefined) return exited;
      child.kill(signal);
      return exitCode;
    },
    async metric(name, labels = {}) {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
      let sum = 0;
      for (const line of text.split('\n')) {
        const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
        if (!m || m[1] !== name) continue;
        const ls = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
        if (Object.entries(labels).every(([k, v]) => ls[k] === v)) sum += Number(m[3]);
      }
      return sum;
    },
    rssMiB() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
  };
  if (o.waitStarted !== false) {
    await waitFor('operator started', () => {
      if (exited !== undefined) throw new Error(`operator exited (${exited}):\n${lines.slice(-20).join('\n')}`);
      return lines.some((l) => l.includes('"operator started"'));
    }, { timeoutMs: 30_000, intervalMs: 100 });
  }
  return op;
}

/**
 * n Resources in layers of `width`: r-i depends on r-(i-width), so a rollout has n/width waves.
 * Every Resource has a port (a Service) and every third one a file (a ConfigMap).
 */
export function layeredStack(namespace: string, n: number, width = 10, extra: (i: number) => Record<string, unknown> = () => ({})): object[] {
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: 'clockwork.dev/v1alpha1',
    kind: 'Resource',
    metadata: { name: `r-${i}`, namespace },
    spec: {
      image: 'clockwork-test/busybox:1',
      ports: [{ name: 'http', port: 8080 }],
      ...(i >= width ? { dependsOn: [`r-${i - width}`] } : {}),
      ...(i % 3 === 0 ? { files: [{ mountPath: '/etc/app/config.txt', content: `config of r-${i}` }] } : {}),
      ...extra(i),
    },
  }));
}

/** The Resource a gated rollout waits for (see gateAt). */
export const GATE = 'gate';

/**
 * Holds a rollout at layer `layer` until openGate(): the Resources of that layer also depend on
 * a Resource named `gate` that does not exist yet, and every later layer waits for them. So
 * "the rollout is still under way" holds by construction, however fast the machine is.
 */
export function gateAt(objects: object[], layer: number, width: number): object[] {
  if (layer < 1 || (layer + 1) * width > objects.length) throw new Error(`gateAt: layer ${layer} is not a whole later layer of ${objects.length} objects in layers of ${width}`);
  return objects.map((o: any, i) => (i >= layer * width && i < (layer + 1) * width ? { ...o, spec: { ...o.spec, dependsOn: [...(o.spec.dependsOn ?? []), GATE] } } : o));
}

/** Lets a gated rollout go on: creates the `gate` Resource (no delay, no port). */
export async function openGate(namespace: string): Promise<void> {
  await kubectlApply({ apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', metadata: { name: GATE, namespace }, spec: { image: 'clockwork-test/busybox:1' } });
}

/** Waits until at least `count` Resources of the namespace are Ready (the rollout has really begun). */
export async function waitReadyAtLeast(namespace: string, count: number, timeoutMs = 60_000): Promise<number> {
  let ready = 0;
  await waitFor(`${count} Resources Ready in ${namespace}`, async () => (ready = (await readyCount(namespace)).ready) >= count, { timeoutMs, intervalMs: 100 });
  return ready;
}

/** `kubectl apply` of many objects, in chunks (one List per chunk). */
export async function applyAll(objects: object[], chunk = 100): Promise<void> {
  for (let i = 0; i < objects.length; i += chunk) {
    await kubectlApply({ apiVersion: 'v1', kind: 'List', items: objects.slice(i, i + chunk) });
  }
}

export interface NamespaceState {
  resources: any[];
  pods: any[];
  services: any[];
  configMaps: any[];
}

export async function namespaceState(namespace: string): Promise<NamespaceState> {
  const [resources, pods, services, configMaps] = await Promise.all([
    kubectlJson(['get', 'clockworkresources'], { namespace }),
    kubectlJson(['get', 'pods', '-l', 'app.kubernetes.io/managed-by=clockwork'], { namespace }),
    kubectlJson(['get', 'services', '-l', 'app.kubernetes.io/managed-by=clockwork'], { namespace }),
    kubectlJson(['get', 'configmaps', '-l', 'app.kubernetes.io/managed-by=clockwork'], { namespace }),
  ]);
  return { resources: resources.items, pods: pods.items, services: services.items, configMaps: configMaps.items };
}

const cond = (o: any, type: string) => o?.status?.conditions?.find((c: { type: string }) => c.type === type);

/** How many Resources are Ready=True for their current generation. */
export async function readyCount(namespace: string): Promise<{ ready: number; total: number }> {
  const { items } = await kubectlJson(['get', 'clockworkresources'], { namespace });
  const ready = items.filter((r: any) => cond(r, 'Ready')?.status === 'True' && r.status?.observedGeneration === r.metadata.generation).length;
  return { ready, total: items.length };
}

/** Waits until `expected` Resources are Ready; returns ms waited. */
export async function waitAllReady(namespace: string, expected: number, timeoutMs = 120_000): Promise<number> {
  const t0 = Date.now();
  await waitFor(`${expected} Resources Ready in ${namespace}`, async () => {
    const { ready, total } = await readyCount(namespace);
    return total === expected && ready === expected;
  }, { timeoutMs, intervalMs: 250 });
  return Date.now() - t0;
}

/**
 * The converged state: one Pod and one Service per Resource (a ConfigMap when it has files), each
 * owned by the live Resource (same uid), nothing else labelled as ours; every condition True, for
 * the current generation, and the Pod really Ready. Returns the problems found ('' list = ok).
 */
export function convergenceProblems(s: NamespaceState): string[] {
  const problems: string[] = [];
  const byName = new Map(s.resources.map((r) => [r.metadata.name as string, r]));
  const check = (kind: string, objects: any[], wanted: (r: any) => boolean) => {
    const seen = new Map<string, number>();
    for (const o of objects) {
      const owner = (o.metadata.ownerReferences ?? []).find((x: any) => x.controller);
      const r = owner ? byName.get(owner.name) : undefined;
      if (!r || r.metadata.uid !== owner.uid) problems.push(`orphaned ${kind} ${o.metadata.name} (owner ${owner?.name ?? 'none'}/${owner?.uid ?? ''})`);
      else seen.set(owner.name, (seen.get(owner.name) ?? 0) + 1);
      if (o.metadata.deletionTimestamp) problems.push(`${kind} ${o.metadata.name} is being deleted`);
    }
    for (const r of s.resources) {
      const n = seen.get(r.metadata.name) ?? 0;
      const want = wanted(r) ? 1 : 0;
      if (n !== want) problems.push(`${r.metadata.name}: ${n} ${kind}(s), want ${want}`);
    }
  };
  check('Pod', s.pods, () => true);
  check('Service', s.services, (r) => Boolean(r.spec.ports?.length));
  check('ConfigMap', s.configMaps, (r) => Boolean(r.spec.files?.length));
  const podByOwner = new Map(s.pods.map((p) => [p.metadata.ownerReferences?.[0]?.name, p]));
  for (const r of s.resources) {
    const name = r.metadata.name;
    if (r.status?.observedGeneration !== r.metadata.generation) problems.push(`${name}: observedGeneration ${r.status?.observedGeneration} != ${r.metadata.generation}`);
    for (const type of ['Ready', 'DependenciesReady', 'Available', 'AssertionsPassed']) {
      const c = cond(r, type);
      if (c?.status !== 'True') problems.push(`${name}: ${type}=${c?.status}/${c?.reason}`);
    }
    const p = podByOwner.get(name);
    if (p && cond(p, 'Ready')?.status !== 'True') problems.push(`${name}: status Ready but its Pod is not`);
  }
  return problems;
}

/** Waits for convergenceProblems() to be empty; returns ms waited, or throws with the last problems (and the operator's last warnings). */
export async function waitConverged(namespace: string, timeoutMs = 120_000, operator?: Operator): Promise<number> {
  try {
    return await waitConvergedOnly(namespace, timeoutMs);
  } catch (e) {
    if (!operator) throw e;
    const warnings = operator.entries().filter((x) => x.level === 'warn' || x.level === 'error').slice(-15);
    throw new Error(`${(e as Error).message}\noperator's last warnings:\n  ${warnings.map((w) => JSON.stringify(w)).join('\n  ')}`);
  }
}

async function waitConvergedOnly(namespace: string, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  let last: string[] = [];
  let state: NamespaceState | undefined;
  try {
    await waitFor(`converged ${namespace}`, async () => {
      state = await namespaceState(namespace);
      last = convergenceProblems(state);
      return last.length === 0;
    }, { timeoutMs, intervalMs: 300 });
  } catch (e) {
    // What each unready Resource says about itself: the first thing to read when this fails.
    const unready = (state?.resources ?? []).filter((r) => cond(r, 'Ready')?.status !== 'True');
    const podOf = (name: string) => state?.pods.find((p) => p.metadata.ownerReferences?.[0]?.name === name);
    const podSays = (name: string) => {
      const pod = podOf(name);
      return pod ? `Pod ${pod.status?.phase}, Ready=${cond(pod, 'Ready')?.status ?? 'none'} (rv ${pod.metadata.resourceVersion})` : 'no Pod';
    };
    const says = unready.slice(0, 10).map((r) => `${r.metadata.name} (gen ${r.metadata.generation}, observed ${r.status?.observedGeneration}): ${cond(r, 'Ready')?.reason}: ${cond(r, 'Ready')?.message} — in the cluster: ${podSays(r.metadata.name)}`);
    throw new Error(`${(e as Error).message}\n${last.length} problems, first: ${last.slice(0, 10).join('; ')}\n${unready.length} Resources not Ready:\n  ${says.join('\n  ')}`);
  }
  return Date.now() - t0;
}

/**
 * What one test file starts, so that afterAll can remove it: namespaces (deleted while the
 * operators still run, then waited for) and operator processes (stopped after).
 */
export function testScope() {
  const namespaces: string[] = [];
  const operators: Operator[] = [];
  return {
    async ns(prefix: string): Promise<string> {
      const n = await newNamespace(prefix);
      namespaces.push(n);
      return n;
    },
    async operator(o?: OperatorOptions): Promise<Operator> {
      const op = await startOperator(o);
      operators.push(op);
      return op;
    },
    async cleanup(signal?: NodeJS.Signals): Promise<void> {
      await deleteNamespaces(namespaces);
      await Promise.all(operators.map((o) => o.stop(signal)));
    },
  };
}

/** Wall-clock figures the tests print, one line each, grep-able as `[reliability]`. */
export function report(line: string): void {
  process.stderr.write(`[reliability] ${line}\n`);
}
