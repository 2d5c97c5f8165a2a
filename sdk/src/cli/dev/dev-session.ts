import type { FreshStack } from '../../dev/load-fresh.ts';
import { watchFiles, type FileWatch } from '../../dev/file-watch.ts';
import { describeDiff, diffStacks, isEmptyDiff } from '../../dev/stack-diff.ts';
import type { CompiledStack } from '../../stack/compile.ts';
import type { DevHolder } from '../../targets/dev-session-lock.ts';
import { renderLogTail, wantsFailureLogs } from '../../targets/failure-logs.ts';
import { FAILURE_TAIL_LINES } from '../../targets/logs.ts';
import type { StackReport, Target } from '../../targets/target.ts';
import { renderApplySummary } from '../render-report.ts';
import type { DevOutput } from './dev-output.ts';

export interface DevSessionOptions {
  /** The stack file, as the user named it. */
  file: string;
  namespace: string;
  stackName: string;
  target: Target;
  /** The stack as it is on disk now (images mapped), and the files it came from. */
  load: () => Promise<FreshStack>;
  output: DevOutput;
  /** Ctrl-C: stop watching (the stack keeps running unless `down`). */
  signal: AbortSignal;
  /** How long each apply waits for the stack to settle. */
  timeoutMs: number;
  holder: DevHolder;
  /** Tear the stack down when the session ends. */
  down?: boolean;
  /** Injected in tests; chokidar by default. */
  watch?: (onChange: (files: string[]) => void) => FileWatch;
  /** Serves the dashboard of the stack (`clockwork dev` passes serveDashboard); it follows each save. */
  dashboard?: (stack: CompiledStack) => Promise<DevDashboard>;
}

/** The dashboard page as dev uses it. */
export interface DevDashboard {
  readonly url: string;
  setStack(stack: CompiledStack): void;
  close(): Promise<void>;
}

/**
 * `clockwork dev`: claims the stack (one session per stack and namespace), applies it, keeps it
 * converged (the target's `develop`), follows the containers' output, and applies again after
 * every save that changes the stack. A save that does not compile changes nothing.
 */
export async function runDevSession(options: DevSessionOptions): Promise<void> {
  const { target, output: out, signal } = options;
  const lock = await target.claimDevSession({ namespace: options.namespace, stackName: options.stackName, holder: options.holder });
  const first = await options.load().catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  if (!first.ok) {
    out.note(`✗ ${first.error}`);
    out.note(`nothing applied; fix ${options.file} and save`);
  }
  let current: CompiledStack | undefined;
  let dashboard: DevDashboard | undefined;
  let dashboardTried = false;
  /** Started with the first stack that compiles; shown what each save makes of it. A dashboard that cannot start is a note, not an error. */
  const showOnDashboard = async (stack: CompiledStack) => {
    if (dashboard) return dashboard.setStack(stack);
    if (!options.dashboard || dashboardTried) return;
    dashboardTried = true;
    try {
      dashboard = await options.dashboard(stack);
      out.note(`dashboard: ${dashboard.url}`);
    } catch (error) {
      out.note(`dashboard not served: ${(error as Error).message}`);
    }
  };
  let lastReport: StackReport | undefined;
  let round: { stop: AbortController; running: Promise<void> } | undefined;
  let logs: { resources: string; stop: AbortController } | undefined;
  const failuresShown = new Map<string, string>();

  const followLogs = (stack: CompiledStack, tail: number) => {
    const resources = stack.resources.map((r) => r.name);
    if (logs?.resources === resources.join(',')) return;
    logs?.stop.abort();
    const stop = new AbortController();
    logs = { resources: resources.join(','), stop };
    out.resources(resources);
    void (async () => {
      try {
        for await (const line of target.logs({ namespace: stack.namespace, resources, follow: true, tail, signal: AbortSignal.any([stop.signal, signal]) })) if (line.kind !== 'waiting') out.log(line);
      } catch (error) {
        if (!stop.signal.aborted && !signal.aborted) out.note(`logs: ${(error as Error).message}`);
      }
    })();
  };

  /** While watching: a Resource that turns failed gets its last lines printed, once per failure. */
  const showFailures = async (report: StackReport) => {
    for (const r of report.resources) {
      if (!wantsFailureLogs(r)) {
        failuresShown.delete(r.name);
        continue;
      }
      const key = `${r.reason}|${r.workload?.id ?? ''}`;
      if (failuresShown.get(r.name) === key) continue;
      failuresShown.set(r.name, key);
      const tail = r.logTail ?? (await target.logTail(report.namespace, r.name, FAILURE_TAIL_LINES).catch(() => []));
      if (tail.length) out.note([`${r.name}: ${r.reason}`, ...renderLogTail(tail)].join('\n'));
    }
  };

  /** Applies `stack` and keeps it converged until the next round or the end. */
  const startRound = async (stack: CompiledStack): Promise<StackReport | undefined> => {
    round?.stop.abort();
    await round?.running;
    const stop = new AbortController();
    let applied: (report: StackReport | undefined) => void = () => undefined;
    const settled = new Promise<StackReport | undefined>((resolve) => (applied = resolve));
    let watching = false;
    const running = target
      .develop(stack, {
        signal: AbortSignal.any([stop.signal, signal]),
        timeoutMs: options.timeoutMs,
        clock: 'time',
        progress: (line) => out.note(line),
        onSnapshot: (report) => {
          out.state(report, stack);
          if (watching) void showFailures(report);
        },
        ...(lastReport ? { previous: lastReport } : {}),
        onApplied: (report) => {
          for (const r of report.resources) if (wantsFailureLogs(r) && r.logTail) failuresShown.set(r.name, `${r.reason}|${r.workload?.id ?? ''}`);
          watching = true;
          applied(report);
        },
      })
      .catch((error: unknown) => {
        out.note(`✗ ${(error as Error).message}`);
        applied(undefined);
      });
    round = { stop, running };
    const report = await settled;
    if (report) {
      lastReport = report;
      out.state(report, stack);
      out.note(renderApplySummary(report).trim());
    }
    current = stack;
    return report;
  };

  // One reload at a time; saves during one are gathered and applied together after it.
  let busy = false;
  const saved = new Set<string>();
  const onSave = async (files: string[]) => {
    for (const f of files) saved.add(f);
    if (busy) return;
    busy = true;
    try {
      while (saved.size > 0 && !signal.aborted) {
        const changed = [...saved];
        saved.clear();
        await reload(changed);
      }
    } finally {
      busy = false;
    }
  };

  const reload = async (files: string[]) => {
    const saved = performance.now();
    const next = await options.load();
    watch.set(next.watched);
    if (signal.aborted) return;
    const what = files.length ? files.map((f) => relativeName(f)).join(', ') : options.file;
    if (!next.ok) {
      out.note(`✗ ${what} saved, but the stack no longer compiles; the running stack is left as it was:\n${indent(next.error)}`);
      return;
    }
    if (current && next.stack.namespace !== current.namespace) {
      out.note(`✗ the namespace cannot change while dev runs (${current.namespace} → ${next.stack.namespace}); restart clockwork dev`);
      return;
    }
    const diff = current ? diffStacks(current, next.stack) : undefined;
    if (diff) {
      if (isEmptyDiff(diff)) {
        out.note(`${what} saved: the stack did not change`);
        current = next.stack;
        return;
      }
      out.note(`${what} saved:`);
      for (const line of describeDiff(diff)) out.note(`  ${line}`);
    }
    followLogs(next.stack, 0);
    const report = await startRound(next.stack);
    await showOnDashboard(next.stack);
    if (!report) return;
    for (const change of diff?.changed.filter((c) => c.filesOnly) ?? []) await refresh(next.stack, change.name, saved);
    out.note(`${report.ready ? '✓' : '✗'} applied ${seconds(performance.now() - saved)} after the save`);
  };

  /** Files changed in place: wait until the container sees them, then send the Resource's reload. */
  const refresh = async (stack: CompiledStack, name: string, saved: number) => {
    const spec = stack.resources.find((r) => r.name === name)!.spec;
    try {
      const result = await target.refreshFiles({ namespace: stack.namespace, resource: name, files: spec.files ?? [], ...(spec.reload ? { reload: spec.reload } : {}), signal });
      const where = result.instance ? ` ${target.kind === 'docker' ? 'container' : 'Pod'} ${result.instance.slice(0, 12)} kept` : '';
      if (result.liveAfterMs === undefined) {
        out.note(`✗ ${name}: the container does not show the new files yet${where}; nothing was reloaded`);
        return;
      }
      const reload = result.reloaded ? `; reload: ${result.reloaded}` : spec.reload ? '' : '; no reload declared (the process sees the new files when it reads them again)';
      out.note(`${name}: files live ${seconds(performance.now() - saved)} after the save,${where}${reload}`);
    } catch (error) {
      out.note(`✗ ${name}: files or reload: ${(error as Error).message}`);
    }
  };

  const watch = (options.watch ?? ((onChange) => watchFiles({ onChange })))((files) => void onSave(files));
  watch.set(first.watched);
  try {
    if (first.ok) {
      followLogs(first.stack, 10);
      await startRound(first.stack);
      await showOnDashboard(first.stack);
    }
    out.note(`watching ${first.watched.length} file${first.watched.length === 1 ? '' : 's'} of ${options.file}; Ctrl-C stops watching${options.down ? ' and tears the stack down' : ' (the stack keeps running)'}`);
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  } finally {
    await watch.close();
    await dashboard?.close();
    round?.stop.abort();
    await round?.running;
    logs?.stop.abort();
    if (options.down && current) {
      out.note(`tearing down the stack in namespace "${current.namespace}"`);
      const destroyed = await target.destroy(current, { progress: (line) => out.note(line) });
      out.note(`removed ${destroyed.removed.flat().length} workloads`);
    } else if (current) out.note(`stopped watching; the stack keeps running in namespace "${current.namespace}" on ${target.kind} (clockwork destroy ${options.file} removes it)`);
    await lock.release();
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

function relativeName(path: string): string {
  const cwd = process.cwd();
  return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}
