// Shared by the operator integration tests: CRDs applied once, the operator run as users run it
// (a separate `clockwork operator` process), one namespace per test, small kubectl helpers.
import { afterAll, beforeAll } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { OPERATOR_NODE_FLAGS } from '../../../operator/src/main/node-flags.ts';
import { join } from 'node:path';
import { clusterInfo, collectLines, kubectl, kubectlApply, kubectlJson, repoRoot, run, waitFor } from '../../harness/index.ts';

let crds: Promise<void> | undefined;

/** Applies crds/ (server-side) once per test process and waits until they are served. */
export function ensureCrds(): Promise<void> {
  crds ??= (async () => {
    await kubectl(['apply', '--server-side', '--force-conflicts', '-f', join(repoRoot, 'crds')]);
    // Right after a first create, kubectl wait can read a CRD with no conditions yet and fail
    // ("status.conditions accessor error") instead of waiting: ask again until it succeeds.
    await waitFor(
      'the CRDs Established',
      async () => (await kubectl(['wait', '--for=condition=Established', '--timeout=30s', 'crd/clockworkresources.clockwork.dev', 'crd/clockworkcomposites.clockwork.dev'], { allowFailure: true, timeoutMs: 40_000 })).code === 0,
      { timeoutMs: 90_000, intervalMs: 500 },
    );
  })();
  return crds;
}

export interface OperatorProcess {
  process: ChildProcess;
  /** Every log line so far (winston JSON, one object per line). */
  logs(): string[];
  /** SIGTERM (or the given signal) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `node sdk/src/cli/main.ts operator --kubeconfig … ` and waits for "operator started". */
export async function startOperatorProcess(extraArgs: string[] = []): Promise<OperatorProcess> {
  const { kubeconfig } = clusterInfo();
  const child = spawn(process.execPath, [...OPERATOR_NODE_FLAGS, join(repoRoot, 'sdk/src/cli/main.ts'), 'operator', '--kubeconfig', kubeconfig, '--metrics-port', '0', '--workers', '4', '--log-level', 'debug', '--termination-grace-period', '1', ...extraArgs], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = collectLines(child);
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve((exited = code))));
  await waitFor('operator started', () => {
    if (exited !== undefined) throw new Error(`operator exited (${exited}):\n${lines.slice(-20).join('\n')}`);
    return lines.some((l) => l.includes('"operator started"'));
  }, { timeoutMs: 30_000, intervalMs: 100 });
  return {
    process: child,
    logs: () => [...lines],
    async stop(signal = 'SIGTERM') {
      if (exited !== undefined) return exited;
      child.kill(signal);
      return exit;
    },
  };
}

let counter = 0;

/** A fresh namespace for one test. */
export async function newNamespace(prefix: string): Promise<string> {
  const ns = `cw-op-${prefix}-${process.pid % 10000}-${++counter}`.slice(0, 63);
  await kubectl(['create', 'namespace', ns]);
  return ns;
}

/**
 * Deletes a test file's namespaces and waits (up to 45 s) until they are gone, so the next file
 * starts on a quiet cluster. Call it while the operator still runs: Composites' teardown
 * finalizers need it.
 */
export async function deleteNamespaces(namespaces: string[]): Promise<void> {
  if (namespaces.length === 0) return;
  await Promise.all(namespaces.map((ns) => kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true })));
  await kubectl(['wait', '--for=delete', ...namespaces.map((n) => `namespace/${n}`), '--timeout=45s'], { allowFailure: true, timeoutMs: 60_000 });
}

/**
 * One operator for a test file, as users run it: started (CRDs installed) before the file's tests
 * and stopped after them. `namespace(prefix)` makes a namespace that is removed afterwards, while
 * the operator is still up (their Composites' teardown finalizers need it). A test that restarts
 * the operator puts the new process in `operator`.
 */
export function operatorPerFile(args: string[] = []): { operator: OperatorProcess; namespace(prefix: string): Promise<string> } {
  const namespaces: string[] = [];
  const handle = {
    operator: undefined as unknown as OperatorProcess,
    async namespace(prefix: string): Promise<string> {
      const n = await newNamespace(prefix);
      namespaces.push(n);
      return n;
    },
  };
  beforeAll(async () => {
    await ensureCrds();
    handle.operator = await startOperatorProcess(args);
  }, 90_000);
  afterAll(async () => {
    await deleteNamespaces(namespaces);
    await handle.operator?.stop();
  }, 90_000);
  return handle;
}

export interface ResourceOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  composite?: string;
  /** kwok readiness delay for the Pod (copied from the Resource's annotations). */
  readyDelay?: string;
}

/** A Resource object with a small spec (kwok never runs the image). */
export function resource(namespace: string, name: string, spec: Record<string, unknown> = {}, o: ResourceOptions = {}): object {
  const annotations = { ...o.annotations, ...(o.readyDelay ? { 'pod-ready.stage.kwok.x-k8s.io/delay': o.readyDelay } : {}) };
  return {
    apiVersion: 'clockwork.dev/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace,
      labels: { ...o.labels, ...(o.composite ? { 'clockwork.dev/composite': o.composite } : {}) },
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: { image: 'clockwork-test/busybox:1', ports: [{ name: 'http', port: 8080 }], ...spec },
  };
}

export function composite(namespace: string, name: string, o: ResourceOptions = {}): object {
  return {
    apiVersion: 'clockwork.dev/v1alpha1',
    kind: 'Composite',
    metadata: { name, namespace, labels: { ...o.labels, ...(o.composite ? { 'clockwork.dev/composite': o.composite } : {}) }, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {},
  };
}

export async function apply(...objects: object[]): Promise<void> {
  await kubectlApply({ apiVersion: 'v1', kind: 'List', items: objects });
}

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export async function getObject(namespace: string, kind: string, name: string): Promise<any> {
  const r = await kubectl(['get', kind, name, '-o', 'json'], { namespace, allowFailure: true });
  return r.code === 0 ? JSON.parse(r.stdout) : undefined;
}

export async function conditionOf(namespace: string, kind: 'cwr' | 'cwc', name: string, type = 'Ready'): Promise<Condition | undefined> {
  const o = await getObject(namespace, kind, name);
  return o?.status?.conditions?.find((c: Condition) => c.type === type);
}

/** Waits until the condition has the status (and reason, when given); returns it. */
export async function waitCondition(namespace: string, kind: 'cwr' | 'cwc', name: string, want: { type?: string; status: string; reason?: string }, timeoutMs = 30_000): Promise<Condition> {
  return waitFor(
    `${kind} ${namespace}/${name} ${want.type ?? 'Ready'}=${want.status}${want.reason ? `/${want.reason}` : ''}`,
    async () => {
      const c = await conditionOf(namespace, kind, name, want.type);
      return c && c.status === want.status && (!want.reason || c.reason === want.reason) ? c : undefined;
    },
    { timeoutMs, intervalMs: 150 },
  );
}

export const waitReady = (namespace: string, kind: 'cwr' | 'cwc', name: string, timeoutMs = 30_000) => waitCondition(namespace, kind, name, { status: 'True' }, timeoutMs);

/** What `clockwork status --all` reports of a namespace: the CLI reading the cluster (roots of waiting chains found). */
export async function stackStatus(namespace: string): Promise<{ ready: boolean; resources: { name: string; reason: string; message: string }[] }> {
  const r = await run(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), 'status', '--all', '-n', namespace, '-o', 'json', '--target', 'kubernetes'], { cwd: repoRoot, allowFailure: true, env: { KUBECONFIG: clusterInfo().kubeconfig } });
  return JSON.parse(r.stdout)[0];
}

export async function pods(namespace: string): Promise<any[]> {
  return (await kubectlJson(['get', 'pods'], { namespace })).items;
}

export async function pod(namespace: string, name: string): Promise<any> {
  return getObject(namespace, 'pod', name);
}

/** When the Pod's Ready condition turned True (server time, whole seconds). */
export function podReadyAt(p: any): number {
  const c = p.status.conditions.find((x: { type: string }) => x.type === 'Ready');
  return Date.parse(c.lastTransitionTime);
}

export const createdAt = (o: any): number => Date.parse(o.metadata.creationTimestamp);

export { kubectl, kubectlJson, waitFor };
