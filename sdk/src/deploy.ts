import { isFailureReason, REASON, ClockworkError } from './api/index.ts';
import { compileStack } from './stack/compile.ts';
import { stackItems } from './stack/load.ts';
import { renderLogTail } from './targets/failure-logs.ts';
import { defaultStackName } from './targets/kubernetes/applyset.ts';
import type { TargetChoice } from './targets/select-target.ts';
import type { DestroyReport, ResourceReport, StackReport } from './targets/target.ts';

export interface DeployProgress {
  resource: string;
  ready: boolean;
  reason: string;
  message: string;
  assertions: string;
}

export interface DeployOptions {
  namespace?: string;
  /** kubeconfig context (default: the current one). */
  context?: string;
  /** `auto` (default): Kubernetes when the context answers and has the CRDs, else Docker. */
  target?: TargetChoice;
  /** Wait until every Resource is Ready (default true; Docker always waits). */
  wait?: boolean;
  timeoutSeconds?: number;
  /** Called when a Resource changes state; Resources come up in dependency order. */
  onProgress?: (event: DeployProgress) => void;
  /**
   * The stack's identity on Kubernetes: its inventory (a later deploy prunes what it no longer
   * contains, and only that) and its field manager. Default: the running script's path in its
   * git repository, as the CLI names a stack file.
   */
  stackName?: string;
  /** Kubernetes: take fields that other stacks or tools manage (by default the deploy fails, naming them). */
  forceConflicts?: boolean;
  publishAllInterfaces?: boolean;
}

/** The stack did not become Ready; `rootCauses` names what blocks it, each with the last lines its container printed when it failed. */
export class DeployError extends ClockworkError {
  readonly report: StackReport;
  readonly rootCauses: readonly string[];

  constructor(report: StackReport) {
    const causes = rootCauses(report.resources);
    super(`stack not Ready${report.timedOut ? ' (timed out)' : ''} in namespace "${report.namespace}" on ${report.target}:\n${causes.map((c) => `  - ${c}`).join('\n')}`);
    this.report = report;
    this.rootCauses = causes;
  }
}

/**
 * What blocks the stack: the Resources that are failing if any; otherwise those blocked by their
 * own workload rather than merely waiting for another Resource.
 */
function rootCauses(resources: readonly ResourceReport[]): string[] {
  const notReady = resources.filter((r) => !r.ready);
  const failing = notReady.filter((r) => isFailureReason(r.reason));
  const roots = notReady.filter((r) => r.reason !== REASON.WaitingForDependencies);
  return (failing.length ? failing : roots.length ? roots : notReady).map((r) => [`${r.name}: ${r.reason}: ${r.message}`, ...renderLogTail(r.logTail)].join('\n'));
}

/**
 * Deploys what a stack file default-exports (an array or an object of Resources and Composites):
 * resolves with the report when every Resource is Ready, rejects with a DeployError naming the
 * root causes otherwise, or with StackValidationError when the stack is invalid.
 */
export async function deploy(stack: unknown, options: DeployOptions = {}): Promise<StackReport> {
  const compiled = compileStack(stackItems(stack), options.namespace ? { namespace: options.namespace } : {});
  // The targets (dockerode, the Kubernetes client) load only when a stack is deployed, not when a stack file imports 'clockwork'.
  const { selectTarget } = await import('./targets/select-target.ts');
  const target = await selectTarget({
    target: options.target ?? 'auto',
    context: options.context,
    stackName: stackNameOf(options),
    forceConflicts: options.forceConflicts ?? false,
    publishAllInterfaces: options.publishAllInterfaces ?? false,
  });
  const last = new Map<string, string>();
  try {
    const report = await target.apply(compiled, {
      timeoutMs: (options.timeoutSeconds ?? 300) * 1000,
      ...(options.wait === false ? { wait: false } : {}),
      onSnapshot: (snapshot) => {
        for (const r of snapshot.resources) {
          const key = `${r.ready}|${r.reason}|${r.message}|${r.assertionsSummary}`;
          if (last.get(r.name) === key) continue;
          last.set(r.name, key);
          options.onProgress?.({ resource: r.name, ready: r.ready, reason: r.reason, message: r.message, assertions: r.assertionsSummary });
        }
      },
    });
    if (options.wait !== false && !report.ready) throw new DeployError(report);
    return report;
  } finally {
    await target.close();
  }
}

export interface DestroyStackOptions {
  namespace?: string;
  /** kubeconfig context (default: the current one). */
  context?: string;
  /** `auto` (default): Kubernetes when the context answers and has the CRDs, else Docker. */
  target?: TargetChoice;
  /** The stack's identity on Kubernetes, as for `deploy()` (default: the running script's path in its git repository): another stack's objects are left alone. */
  stackName?: string;
  /** Also remove the stack's volumes and their data, once the workloads are gone (default false: kept). */
  volumes?: boolean;
  /** Wait for each wave to be gone before the next (default true). */
  wait?: boolean;
  /** One line per step (a Resource removed, a volume kept or removed). */
  onProgress?: (line: string) => void;
}

/**
 * Removes what a stack file default-exports, dependents first, the counterpart of `deploy()`.
 * Volumes are kept, and listed in the report's `volumesKept`, unless `volumes: true`.
 */
export async function destroy(stack: unknown, options: DestroyStackOptions = {}): Promise<DestroyReport> {
  const compiled = compileStack(stackItems(stack), options.namespace ? { namespace: options.namespace } : {});
  const { selectTarget } = await import('./targets/select-target.ts');
  const target = await selectTarget({ target: options.target ?? 'auto', context: options.context, stackName: stackNameOf(options), publishAllInterfaces: false });
  try {
    return await target.destroy(compiled, { wait: options.wait ?? true, volumes: options.volumes ?? false, ...(options.onProgress ? { progress: options.onProgress } : {}) });
  } finally {
    await target.close();
  }
}

/** The stack's name as given, or the running script's (as the CLI names a stack file). */
function stackNameOf(options: { stackName?: string | undefined }): string | undefined {
  return options.stackName ?? (process.argv[1] ? defaultStackName(process.argv[1]) : undefined);
}
