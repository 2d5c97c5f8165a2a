// Typed access to the local test cluster started by test/cluster/cluster.sh.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildScript, clusterScript, repoRoot, run, runSync, type RunOptions, type RunResult } from './exec.ts';

export type Profile = 'kwok' | 'real';
export type FaultComponent =
  | 'etcd'
  | 'kube-apiserver'
  | 'controller-manager'
  | 'scheduler'
  | 'kwok'
  | 'kubelet'
  | 'containerd'
  | 'kube-proxy'
  | 'coredns'
  | 'local-path-provisioner';
export type FaultAction = 'stop' | 'start' | 'restart' | 'kill';

export interface ClusterInfo {
  profile: Profile;
  /** State dir of the cluster (pidfiles, logs, PKI); CLOCKWORK_CLUSTER_DIR. */
  stateDir: string;
  /** Admin kubeconfig (system:masters). */
  kubeconfig: string;
  /** API server URL, e.g. https://127.0.0.1:34567. */
  server: string;
  /** The real node's IP (its bridge gateway); '' for kwok. */
  nodeIP: string;
  nodes: string[];
  /** The kubectl 1.36 built by test/cluster/build.sh. */
  kubectl: string;
  /** The real node's containerd socket; '' for kwok. */
  containerdSocket: string;
  /** The real node's bridge; '' for kwok. */
  bridge: string;
  cgroupRoot: string;
}

/** Env var names the global setups set (per profile, so both projects can run in one jest run). */
export const stateDirEnv: Record<Profile, string> = {
  kwok: 'CLOCKWORK_KWOK_CLUSTER_DIR',
  real: 'CLOCKWORK_REAL_CLUSTER_DIR',
};

/** The state dir the test suite uses for a profile (never the developer's .cluster/). */
export function testStateDir(profile: Profile): string {
  return process.env[stateDirEnv[profile]] ?? resolve(repoRoot, '.cluster-test', profile);
}

function profileFromGlobals(): Profile | undefined {
  const g = (globalThis as { CLOCKWORK_PROFILE?: unknown }).CLOCKWORK_PROFILE ?? process.env.CLOCKWORK_PROFILE;
  return g === 'kwok' || g === 'real' ? g : undefined;
}

/**
 * Which cluster a test talks to: the explicit argument, else the jest project's
 * `globals.CLOCKWORK_PROFILE` (or env CLOCKWORK_PROFILE), else the only cluster a global setup started,
 * else CLOCKWORK_CLUSTER_DIR (e.g. a developer's `make cluster-up`).
 */
export function resolveStateDir(profile?: Profile): string {
  const p = profile ?? profileFromGlobals();
  if (p) return testStateDir(p);
  const started = (['kwok', 'real'] as const).filter((x) => process.env[stateDirEnv[x]]);
  if (started.length === 1) return testStateDir(started[0] as Profile);
  if (started.length > 1) {
    throw new Error(
      'both a kwok and a real test cluster are up: pass the profile, or set globals.CLOCKWORK_PROFILE in the jest project',
    );
  }
  const dir = process.env.CLOCKWORK_CLUSTER_DIR;
  if (dir) return dir;
  throw new Error(
    'no test cluster: run the tests through a jest project whose globalSetup is test/harness/global-setup-kwok.ts or -real.ts',
  );
}

/** Reads <stateDir>/info.json written by `cluster.sh up`. */
export function clusterInfo(profile?: Profile): ClusterInfo {
  const dir = resolveStateDir(profile);
  const f = resolve(dir, 'info.json');
  if (!existsSync(f)) throw new Error(`no running cluster in ${dir} (missing ${f})`);
  return JSON.parse(readFileSync(f, 'utf8')) as ClusterInfo;
}

export interface KubectlOptions extends Omit<RunOptions, 'env' | 'cwd' | 'echo'> {
  profile?: Profile;
  /** Namespace (adds -n). */
  namespace?: string;
}

/**
 * Runs the built kubectl 1.36 against the test cluster (admin credentials).
 * Rejects with CommandError (stderr included) on a non-zero exit unless allowFailure.
 */
export async function kubectl(args: readonly string[], opts: KubectlOptions = {}): Promise<RunResult> {
  const info = clusterInfo(opts.profile);
  const full = ['--kubeconfig', info.kubeconfig, ...(opts.namespace ? ['-n', opts.namespace] : []), ...args];
  const { profile: _p, namespace: _n, ...runOpts } = opts;
  return run(info.kubectl, full, { timeoutMs: 60_000, ...runOpts });
}

/** kubectl ... -o json, parsed. */
export async function kubectlJson<T = any>(args: readonly string[], opts: KubectlOptions = {}): Promise<T> {
  const r = await kubectl([...args, '-o', 'json'], opts);
  return JSON.parse(r.stdout) as T;
}

/** `kubectl apply -f -` of a YAML/JSON document (or several), returns stdout. */
export async function kubectlApply(manifest: string | object, opts: KubectlOptions = {}): Promise<string> {
  const input = typeof manifest === 'string' ? manifest : JSON.stringify(manifest);
  return (await kubectl(['apply', '-f', '-'], { ...opts, input })).stdout;
}

function clusterEnv(stateDir: string): Record<string, string> {
  return { CLOCKWORK_CLUSTER_DIR: stateDir };
}

/** Stops/starts/restarts/kills a control-plane component (waits until healthy after start/restart). */
export async function faultControl(
  component: FaultComponent,
  action: FaultAction,
  opts: { profile?: Profile } = {},
): Promise<void> {
  const dir = resolveStateDir(opts.profile);
  await run('bash', [clusterScript, 'fault', action, component], { env: clusterEnv(dir), timeoutMs: 180_000 });
}

/** Loads a local docker image into the real node's containerd (Pods then use it with imagePullPolicy IfNotPresent). */
export async function importImage(image: string, opts: { profile?: Profile } = {}): Promise<void> {
  const dir = resolveStateDir(opts.profile ?? 'real');
  await run('bash', [clusterScript, 'import-image', image], { env: clusterEnv(dir), timeoutMs: 300_000 });
}

/** Builds the cluster binaries if they are not cached yet (no-op when warm). */
export async function buildCluster(): Promise<void> {
  await run('bash', [buildScript], { echo: true, timeoutMs: 3 * 3600_000 });
}

/** `cluster.sh up PROFILE` in stateDir; rejects with the script's output when it cannot start. */
export async function startCluster(profile: Profile, stateDir: string = testStateDir(profile)): Promise<ClusterInfo> {
  await run('bash', [clusterScript, 'up', profile], { env: clusterEnv(stateDir), echo: true, timeoutMs: 600_000 });
  return JSON.parse(readFileSync(resolve(stateDir, 'info.json'), 'utf8')) as ClusterInfo;
}

/** `cluster.sh down` in stateDir: stops everything and removes what the cluster created. */
export async function stopCluster(stateDir: string): Promise<void> {
  await run('bash', [clusterScript, 'down'], { env: clusterEnv(stateDir), echo: true, timeoutMs: 300_000 });
}

/** Synchronous `cluster.sh down`, for process exit/signal handlers. */
export function stopClusterSync(stateDir: string): RunResult {
  return runSync('bash', [clusterScript, 'down'], { env: clusterEnv(stateDir), timeoutMs: 300_000, allowFailure: true });
}

/** `cluster.sh check-clean`: what a stopped cluster left behind ('' when nothing). */
export async function leftovers(stateDir: string): Promise<string> {
  const r = await run('bash', [clusterScript, 'check-clean'], { env: clusterEnv(stateDir), allowFailure: true });
  return r.code === 0 ? '' : r.stdout.trim() || r.stderr.trim();
}

/** PIDs (with command lines) of processes whose command line names a path under dir. */
export function processesUsing(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    if (cmd.includes(prefix)) found.push(`${pid}: ${cmd.trim()}`);
  }
  return found;
}

/** Mount points under dir. */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(prefix));
}
