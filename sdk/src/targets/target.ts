import type { AssertionStatus, Condition, FileSpec, ReloadSpec } from '../api/index.ts';
import type { CompiledStack } from '../stack/compile.ts';
import type { DevSessionClaim, DevSessionLock } from './dev-session-lock.ts';
import type { LogLine, LogsOptions } from './logs.ts';

/** Where a stack runs: the local Docker engine, or a Kubernetes cluster with the operator, behind one interface. */
export type TargetKind = 'docker' | 'kubernetes';

export interface ResourceReport {
  name: string;
  composite?: string;
  ready: boolean;
  reason: string;
  message: string;
  /** `passed/total`. */
  assertionsSummary: string;
  assertions: AssertionStatus[];
  dependencies: string[];
  /** How many times its process was restarted. */
  restarts?: number;
  /** The container or Pod running it, when there is one. */
  workload?: { id: string; name: string; state: string };
  /** Every condition, with its reason and full message. */
  conditions?: Condition[];
  /** The last lines its container printed, when it failed (shown under the error). */
  logTail?: string[];
}

export interface CompositeReport {
  name: string;
  composite?: string;
  ready: boolean;
  reason: string;
  message: string;
  readyCount: number;
  totalCount: number;
  conditions?: Condition[];
}

export interface StackReport {
  target: TargetKind;
  namespace: string;
  ready: boolean;
  resources: ResourceReport[];
  composites: CompositeReport[];
  /** Workloads of the namespace that are not in the stack (status), or that apply removed. */
  orphans: string[];
  /** Volumes of the namespace that no Resource of the stack mounts any more: their data is kept. */
  keptVolumes?: VolumeReport[];
  elapsedMs: number;
  timedOut?: boolean;
}

/** A Resource's volume on the target, and where its data lives. */
export interface VolumeReport {
  resource: string;
  volume: string;
  /** `docker volume clockwork-default-postgres-db-data` or `claim default/postgres-db-data`. */
  where: string;
  /** How to remove it by hand. */
  removeWith: string;
}

export interface DestroyReport {
  target: TargetKind;
  namespace: string;
  /** Removed workloads, in the order they went (waves, dependents first). */
  removed: string[][];
  networkRemoved: boolean;
  /** Volumes removed (`--volumes`, or declared `retain: false`). */
  volumesRemoved: VolumeReport[];
  /** Volumes kept (retained, and `--volumes` not given). */
  volumesKept: VolumeReport[];
}

export interface TargetProgress {
  /** One line of progress (a Resource changed state, an image is pulled). */
  (line: string): void;
}

export interface ApplyOptions {
  timeoutMs: number;
  progress?: TargetProgress;
  /** Return once applied instead of waiting for Ready (Kubernetes; Docker always waits). */
  wait?: boolean;
  /** The whole report, each time something changed (for a live view). */
  onSnapshot?: (report: StackReport) => void;
  /** Progress lines stamped with the seconds since the apply began (default), or the time of day. */
  clock?: 'elapsed' | 'time';
}

export interface DevelopOptions extends ApplyOptions {
  /** Stops watching; the stack keeps running. */
  signal: AbortSignal;
  /** What `apply` returns, once the stack has settled (Ready, failed or timed out); watching goes on. */
  onApplied: (report: StackReport) => void | Promise<void>;
  /** The report of the previous round (after a save): Resources start from it, so only changes are announced. */
  previous?: StackReport;
}

export interface RefreshFilesOptions {
  namespace: string;
  resource: string;
  /** The files as the stack has them now. */
  files: readonly FileSpec[];
  /** Sent once the container sees them. */
  reload?: ReloadSpec;
  /** How long to wait for the container to see the files (Kubernetes: the kubelet rewrites the volume). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RefreshFilesResult {
  /** The container or Pod that got the files (unchanged: nothing was replaced). */
  instance?: string;
  /** Milliseconds until the container saw every file as given; undefined when it did not within the timeout. */
  liveAfterMs?: number;
  /** What was sent and how it went (`SIGHUP sent`, `exec nginx -s reload: exit code 0`). */
  reloaded?: string;
}

export interface DestroyOptions {
  progress?: TargetProgress;
  /** Wait for each wave to be gone before the next (default true). */
  wait?: boolean;
  /** Also remove the stack's volumes (their data), once the workloads are gone. */
  volumes?: boolean;
}

/** Progress lines prefixed with the seconds since `started`, or with the time of day. */
export function timed(progress: TargetProgress | undefined, started: number, clock: 'elapsed' | 'time' = 'elapsed'): TargetProgress {
  if (clock === 'time') return (line) => progress?.(`[${new Date().toTimeString().slice(0, 8)}] ${line}`);
  return (line) => progress?.(`[${((performance.now() - started) / 1000).toFixed(2).padStart(6)}s] ${line}`);
}

export interface AssertOptions {
  progress?: TargetProgress;
}

export interface Target {
  readonly kind: TargetKind;
  /** Brings the stack up (idempotent) and waits until it is Ready or cannot progress. */
  apply(stack: CompiledStack, options: ApplyOptions): Promise<StackReport>;
  /**
   * `clockwork dev`: applies the stack, then keeps watching it until `signal` aborts. Docker: a
   * local controller (the operator's engine and work queue) that repairs what goes missing,
   * probes readiness and runs assertions; Kubernetes: a watch of what the operator reports.
   * Every change is a progress line, as in `apply`.
   */
  develop(stack: CompiledStack, options: DevelopOptions): Promise<void>;
  /**
   * After a change of files alone (applied in place): waits until the Resource's container sees
   * the files as given, then sends its `reload`, with the caller's own credentials.
   */
  refreshFiles(options: RefreshFilesOptions): Promise<RefreshFilesResult>;
  /** One `clockwork dev` per stack and namespace. @throws DevSessionTakenError naming the session that runs. */
  claimDevSession(claim: DevSessionClaim): Promise<DevSessionLock>;
  /** Reads the state of the stack without changing anything; probes readiness and runs assertions once. */
  status(stack: CompiledStack): Promise<StackReport>;
  /**
   * Every stack the target holds, read from the target alone (no stack file): one report per
   * namespace, Resources in start order. `namespace` undefined: every namespace.
   */
  statusAll(namespace: string | undefined): Promise<StackReport[]>;
  /** Runs every assertion now (read-only); `previous` carries results between --watch rounds. */
  assert(stack: CompiledStack, options: AssertOptions & { previous?: StackReport }): Promise<StackReport>;
  /**
   * What an apply of the stack would do with the volumes no Resource of it mounts any more (read
   * only): keep them, saying where their data stays, or remove them (`retain: false`, Resource leaving).
   */
  volumeChanges(stack: CompiledStack): Promise<{ kept: VolumeReport[]; removed: VolumeReport[] }>;
  /** Removes the stack's workloads in reverse dependency order, then its network. */
  destroy(stack: CompiledStack, options: DestroyOptions): Promise<DestroyReport>;
  /**
   * What the Resources' containers print, each line tagged with its Resource: in time order, or
   * with `follow` as it comes, across restarts and replacements, until `signal` aborts or the
   * caller stops iterating. `clockwork logs`, `dev` and the dashboard read through this.
   */
  logs(options: LogsOptions): AsyncIterable<LogLine>;
  /** The last `lines` lines a Resource's container printed (its last terminated run when it is not running). */
  logTail(namespace: string, resource: string, lines: number): Promise<string[]>;
  close(): Promise<void>;
}
