// The bench's environment: its own kwok cluster (with an audit log), client identities for the
// operator and for kro (so the apiserver's audit log tells their requests apart), the operator as
// a separate process, /proc sampling, and cleanup of everything started (also on failure).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OPERATOR_NODE_FLAGS } from '../operator/src/main/node-flags.ts';
import { repoRoot, run, startCluster, stopCluster, waitFor, type ClusterInfo } from '../test/harness/index.ts';

export const stateDir = resolve(process.env.CLOCKWORK_BENCH_CLUSTER_DIR ?? join(repoRoot, '.cluster-bench'));
export const OPERATOR_USER = 'clockwork-bench-operator';
/** The operator as its image runs it: its own entry, precompiled (`make build`). */
export const OPERATOR_ENTRY = 'dist/operator/src/main.js';
/** What the operator loads before it runs (its entry without the command line). */
const OPERATOR_MODULES = 'dist/operator/src/main/run-operator.js';
export const KRO_USER = 'kro-bench';

export const log = (msg: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 23)}] ${msg}\n`);
};

// ---------------------------------------------------------------- cleanup
const cleanups: Array<{ name: string; fn: () => Promise<void>; sync: () => void }> = [];
let cleaning = false;

/** Registers something to undo; returns a function that runs and unregisters it. */
export function onCleanup(name: string, fn: () => Promise<void>, sync: () => void): () => Promise<void> {
  const entry = { name, fn, sync };
  cleanups.push(entry);
  return async () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
    await fn();
  };
}

/** Runs the cleanups of everything but the cluster (operator, kro …), newest first. */
export async function stopProcesses(): Promise<void> {
  for (const c of [...cleanups].reverse()) {
    if (c.name === 'cluster' || c.name === 'docker stack') continue;
    cleanups.splice(cleanups.indexOf(c), 1);
    await c.fn().catch((e) => log(`cleanup ${c.name} failed: ${(e as Error).message}`));
  }
}

export async function cleanupAll(): Promise<void> {
  cleaning = true;
  while (cleanups.length) {
    const c = cleanups.pop()!;
    try {
      await c.fn();
    } catch (e) {
      log(`cleanup ${c.name} failed: ${(e as Error).message}`);
    }
  }
}

function cleanupSync(): void {
  while (cleanups.length) {
    const c = cleanups.pop()!;
    try {
      c.sync();
    } catch {
      /* best effort */
    }
  }
}

export function installSignalHandlers(): void {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      log(`${sig}: cleaning up`);
      if (!cleaning) cleanupSync();
      process.exit(130);
    });
  }
  process.on('exit', () => cleanupSync());
}

// ---------------------------------------------------------------- cluster
const auditDir = join(stateDir, 'logs');
export const auditLog = join(auditDir, 'audit.jsonl');

export async function startBenchCluster(): Promise<{ info: ClusterInfo; stop: () => Promise<void> }> {
  mkdirSync(auditDir, { recursive: true });
  rmSync(auditLog, { force: true });
  auditOffset = 0;
  auditRecords.length = 0;
  const policy = join(auditDir, 'audit-policy.yaml');
  writeFileSync(
    policy,
    [
      'apiVersion: audit.k8s.io/v1',
      'kind: Policy',
      'omitStages: [RequestReceived, ResponseStarted]',
      'rules:',
      `- level: Metadata`,
      `  users: [${OPERATOR_USER}, ${KRO_USER}]`,
      '- level: None',
      '',
    ].join('\n'),
  );
  // BENCH_NO_AUDIT=1: no audit log (to check what it costs the apiserver); request counts are then empty.
  const extra = process.env.BENCH_NO_AUDIT === '1' ? '' : [
    `--audit-policy-file=${policy}`,
    `--audit-log-path=${auditLog}`,
    '--audit-log-format=json',
    '--audit-log-mode=batch',
    '--audit-log-batch-max-wait=1s',
    '--audit-log-batch-throttle-enable=false',
    '--audit-log-maxsize=0',
    // The default (400 mutating + 200 read-only in flight) is plenty; the test cluster sets no limits of its own.
  ].join(' ');
  const stop = onCleanup(
    'cluster',
    () => stopCluster(stateDir),
    () => {
      spawnSync('bash', [join(repoRoot, 'test/cluster/cluster.sh'), 'down'], { env: { ...process.env, CLOCKWORK_CLUSTER_DIR: stateDir }, stdio: 'ignore', timeout: 120_000 });
    },
  );
  const prev = process.env.CLOCKWORK_APISERVER_EXTRA_ARGS;
  process.env.CLOCKWORK_APISERVER_EXTRA_ARGS = extra;
  try {
    // Ports are picked free at start; another cluster starting at the same moment may take one: retry.
    let info: ClusterInfo | undefined;
    for (let attempt = 1; !info; attempt++) {
      try {
        info = await startCluster('kwok', stateDir);
      } catch (e) {
        if (attempt >= 3) throw e;
        log(`cluster start failed (attempt ${attempt}), retrying`);
      }
    }
    process.env.CLOCKWORK_CLUSTER_DIR = stateDir; // the harness's kubectl() talks to this cluster
    return { info, stop };
  } finally {
    if (prev === undefined) delete process.env.CLOCKWORK_APISERVER_EXTRA_ARGS;
    else process.env.CLOCKWORK_APISERVER_EXTRA_ARGS = prev;
  }
}

/** A kubeconfig for a new client identity (member of system:masters), signed by the cluster's CA. */
export async function userKubeconfig(info: ClusterInfo, user: string): Promise<string> {
  const pki = join(stateDir, 'pki');
  const dir = join(stateDir, 'bench-users');
  mkdirSync(dir, { recursive: true });
  const key = join(dir, `${user}.key`);
  const csr = join(dir, `${user}.csr`);
  const crt = join(dir, `${user}.crt`);
  const ext = join(dir, `${user}.ext`);
  writeFileSync(ext, 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  await run('openssl', ['req', '-new', '-key', key, '-subj', `/O=system:masters/CN=${user}`, '-out', csr]);
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', join(pki, 'ca.crt'), '-CAkey', join(pki, 'ca.key'), '-set_serial', `0x${Date.now().toString(16)}`, '-days', '2', '-extfile', ext, '-out', crt]);
  const b64 = (f: string) => readFileSync(f).toString('base64');
  const file = join(dir, `${user}.kubeconfig`);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: bench
  cluster: {server: ${info.server}, certificate-authority-data: ${b64(join(pki, 'ca.crt'))}}
users:
- name: ${user}
  user: {client-certificate-data: ${b64(crt)}, client-key-data: ${b64(key)}}
contexts:
- name: bench
  context: {cluster: bench, user: ${user}}
current-context: bench
`,
    { mode: 0o600 },
  );
  return file;
}

// ---------------------------------------------------------------- processes
export interface Proc {
  child: ChildProcess;
  pid: number;
  lines(): string[];
  stop(): Promise<void>;
}

/** Spawns a long-running process, keeps its last output lines, registers its cleanup. */
export async function startProcess(name: string, cmd: string, args: string[], readyLine: RegExp | undefined, env: Record<string, string> = {}): Promise<Proc> {
  const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  // Full output in the state dir's logs/ (kept after the cluster is down), for post-mortems.
  mkdirSync(join(stateDir, 'logs'), { recursive: true });
  const logFile = createWriteStream(join(stateDir, 'logs', `${name}.log`), { flags: 'a' });
  child.stdout!.pipe(logFile);
  child.stderr!.pipe(logFile);
  const lines: string[] = [];
  let seenReady = !readyLine;
  let exited: number | null | undefined;
  const exit = new Promise<void>((r) => child.on('exit', (code) => ((exited = code), r())));
  let partial = '';
  const onData = (b: Buffer) => {
    partial += b.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) {
      if (readyLine && !seenReady && readyLine.test(l)) seenReady = true;
      lines.push(l);
    }
    if (lines.length > 400) lines.splice(0, lines.length - 200);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const stop = async () => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(t);
  };
  const unregister = onCleanup(name, stop, () => {
    if (exited === undefined) child.kill('SIGKILL');
  });
  await waitFor(
    `${name} started`,
    () => {
      if (exited !== undefined) throw new Error(`${name} exited (${exited}):\n${lines.slice(-30).join('\n')}`);
      return seenReady;
    },
    { timeoutMs: 60_000, intervalMs: 50 },
  ).catch(async (e) => {
    await unregister();
    throw e;
  });
  return { child, pid: child.pid!, lines: () => [...lines], stop: unregister };
}

export interface OperatorProc extends Proc {
  metricsPort: number;
  /** The operator's own Prometheus metrics (counters/histogram sums), by series. */
  metrics(): Promise<Record<string, number>>;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

export async function startOperator(kubeconfig: string, workers?: number): Promise<OperatorProc> {
  const metricsPort = await freePort();
  const proc = await startOperatorOn(kubeconfig, metricsPort, workers);
  return {
    ...proc,
    metricsPort,
    async metrics() {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const out: Record<string, number> = {};
      for (const line of text.split('\n')) {
        if (!line || line.startsWith('#') || line.includes('_bucket{')) continue;
        const i = line.lastIndexOf(' ');
        if (line.startsWith('clockwork_') || line.startsWith('nodejs_heap_size') || line.startsWith('nodejs_external_memory')) out[line.slice(0, i)] = Number(line.slice(i + 1));
      }
      return out;
    },
  };
}

async function startOperatorOn(kubeconfig: string, metricsPort: number, workers?: number): Promise<Proc> {
  // BENCH_OPERATOR_NODE_FLAGS: extra node flags for profiling, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeFlags = (process.env.BENCH_OPERATOR_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const args = [...OPERATOR_NODE_FLAGS, ...nodeFlags, join(repoRoot, OPERATOR_ENTRY), '--kubeconfig', kubeconfig, '--metrics-port', String(metricsPort), '--no-leader-elect', '--termination-grace-period', '1', '--log-level', 'info'];
  if (workers) args.push('--workers', String(workers));
  return startProcess('operator', process.execPath, args, /"operator started"/);
}

/**
 * The RSS of a process that only loads the operator's modules (after a full GC): what the operator
 * costs before it caches anything.
 */
export async function operatorFloorMiB(): Promise<number> {
  const entry = join(repoRoot, OPERATOR_MODULES);
  const hook = join(repoRoot, 'dist/sdk/src/kubernetes/without-generated-models.js');
  // As the operator's entry loads them (its resolve hook first).
  const code = `(await import(${JSON.stringify(pathToFileURL(hook).href)})).withoutGeneratedModels(); await import(${JSON.stringify(pathToFileURL(entry).href)}); globalThis.gc(); await new Promise((r) => setTimeout(r, 200)); globalThis.gc(); process.stdout.write(String(process.memoryUsage().rss / 1048576));`;
  const r = await run(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], { timeoutMs: 60_000 });
  return Number(r.stdout.trim());
}

export interface ProcStats {
  rssMiB: number;
  hwmMiB: number;
  cpuSeconds: number;
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export function procStats(pid: number): ProcStats {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const cpu = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024, cpuSeconds: cpu };
}

/** Samples VmRSS every `everyMs`, remembering the peak (VmHWM covers it too; this is a cross-check). */
export function sampleRss(pid: number, everyMs = 250): { peakMiB(): number; stop(): void } {
  let peak = 0;
  const t = setInterval(() => {
    try {
      peak = Math.max(peak, procStats(pid).rssMiB);
    } catch {
      /* exited */
    }
  }, everyMs);
  return { peakMiB: () => peak, stop: () => clearInterval(t) };
}

// ---------------------------------------------------------------- audit log
export interface AuditRecord {
  user: string;
  verb: string;
  resource: string;
  /** The object's namespace and name (empty for collections). */
  namespace: string;
  name: string;
  /** ms since the epoch, when the apiserver received the request. */
  t: number;
  code: number;
}

let auditOffset = 0;
const auditRecords: AuditRecord[] = [];

/** Reads audit events appended since the last call (the log is batched: flushes within ~1 s). */
export function readAudit(): AuditRecord[] {
  if (!existsSync(auditLog)) return auditRecords;
  const size = statSync(auditLog).size;
  if (size > auditOffset) {
    const fd = openSync(auditLog, 'r');
    const buf = Buffer.alloc(size - auditOffset);
    readSync(fd, buf, 0, buf.length, auditOffset);
    closeSync(fd);
    const text = buf.toString('utf8');
    const end = text.lastIndexOf('\n');
    if (end >= 0) {
      auditOffset += Buffer.byteLength(text.slice(0, end + 1));
      for (const line of text.slice(0, end).split('\n')) {
        if (!line) continue;
        const e = JSON.parse(line);
        const ref = e.objectRef ?? {};
        auditRecords.push({
          user: e.user?.username ?? '',
          verb: e.verb,
          resource: `${ref.resource ?? e.requestURI}${ref.subresource ? `/${ref.subresource}` : ''}`,
          namespace: ref.namespace ?? '',
          name: ref.name ?? '',
          t: Date.parse(e.requestReceivedTimestamp),
          code: e.responseStatus?.code ?? 0,
        });
      }
    }
  }
  return auditRecords;
}

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export interface RequestCounts {
  reads: number;
  writes: number;
  watches: number;
  byResource: Record<string, number>;
}

/** The requests `user` issued between two wall-clock instants (ms), split reads/writes (watches apart). */
export function countRequests(user: string, fromMs: number, toMs: number): RequestCounts {
  const out: RequestCounts = { reads: 0, writes: 0, watches: 0, byResource: {} };
  for (const r of readAudit()) {
    if (r.user !== user || r.t < fromMs || r.t > toMs) continue;
    if (r.verb === 'watch') out.watches++;
    else if (WRITE_VERBS.has(r.verb)) out.writes++;
    else out.reads++;
    const k = `${r.verb} ${r.resource}`;
    out.byResource[k] = (out.byResource[k] ?? 0) + 1;
  }
  return out;
}

/** How many requests `user` made of one kind (`patch clockworkresources/status`) to each object of a namespace, by name. */
export function requestsPerObject(user: string, verbResource: string, namespace: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of readAudit()) if (r.user === user && r.namespace === namespace && `${r.verb} ${r.resource}` === verbResource) out.set(r.name, (out.get(r.name) ?? 0) + 1);
  return out;
}

/** Waits until the batched audit log has caught up with `untilMs` (a record at or after it, or 3 s). */
export async function flushAudit(untilMs: number): Promise<void> {
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    const recs = readAudit();
    if (recs.length && recs[recs.length - 1]!.t >= untilMs) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 1500));
  readAudit();
}

/** CPU seconds so far of each cluster component (pids from the state dir), for "what is busy" evidence. */
export function clusterCpu(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of ['kube-apiserver', 'etcd', 'kwok', 'kube-scheduler', 'kube-controller-manager']) {
    try {
      const wrapper = Number(readFileSync(join(stateDir, 'pids', `${c}.pid`), 'utf8').trim());
      // cmds/NAME.sh runs `exec` the binary, so the pid is the component's.
      out[c] = procStats(wrapper).cpuSeconds;
    } catch {
      /* not running */
    }
  }
  return out;
}

export function cpuDelta(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(b).map((k) => [k, Math.round(((b[k] ?? 0) - (a[k] ?? 0)) * 100) / 100]));
}
