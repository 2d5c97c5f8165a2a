import { CONDITION_AVAILABLE, REASON } from '../api/index.ts';
import { FAILURE_TAIL_LINES } from './logs.ts';
import type { ResourceReport, StackReport } from './target.ts';

/** Ready reasons of a Resource whose own container never ran: it has no output to show. */
const NOT_RUN = new Set(['WaitingForDependencies', 'DependencyNotFound', 'DependencyCycle', 'InvalidDependency', 'NotApplied', 'Pending', 'Creating', 'Unknown']);
/** Available reasons of a workload that never started a process. */
const NEVER_STARTED = new Set(['Creating', 'WaitingForDependencies', 'ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'InvalidSpec', 'StartFailed', 'NotStarted', 'Pending', 'Unschedulable', 'CreateContainerConfigError', 'CreateContainerError', 'NotApplied']);

/** Ready reasons whose message carries the last lines already (a task out of retries). */
const OUTPUT_IN_MESSAGE: ReadonlySet<string> = new Set([REASON.Failed]);

/** A Resource reported as failed whose container ran: its output tells why. */
export function wantsFailureLogs(resource: ResourceReport): boolean {
  if (resource.ready || NOT_RUN.has(resource.reason) || OUTPUT_IN_MESSAGE.has(resource.reason)) return false;
  const available = resource.conditions?.find((c) => c.type === CONDITION_AVAILABLE);
  return !available || !NEVER_STARTED.has(available.reason);
}

/**
 * The report with the last lines each failed Resource's container printed (`logTail`), so that
 * `apply`, `dev` and `deploy()` show them under the error. A tail that cannot be read is left out:
 * the error itself is what matters.
 */
export async function withFailureLogs(report: StackReport, tail: (resource: string, lines: number) => Promise<string[]>): Promise<StackReport> {
  if (report.ready) return report;
  const resources = await Promise.all(
    report.resources.map(async (r) => {
      if (!wantsFailureLogs(r)) return r;
      const lines = await tail(r.name, FAILURE_TAIL_LINES).catch(() => []);
      return lines.length ? { ...r, logTail: lines } : r;
    }),
  );
  return { ...report, resources };
}

/** `    | line` under an error: the output of a failed Resource, indented. */
export function renderLogTail(lines: readonly string[] | undefined, indent = '    '): string[] {
  if (!lines?.length) return [];
  return [`${indent}last ${lines.length} line${lines.length === 1 ? '' : 's'} of its output:`, ...lines.map((l) => `${indent}| ${l}`)];
}
