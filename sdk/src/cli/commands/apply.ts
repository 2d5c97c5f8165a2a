import { createLogUpdate } from 'log-update';
import type { StackReport } from '../../targets/target.ts';
import { compileStackFile } from '../compile-file.ts';
import { EXIT_FAILURE, EXIT_OK } from '../../api/index.ts';
import type { Output } from '../output.ts';
import type { CompleteFileOptions } from '../../complete/complete-stack-file.ts';
import { renderApplySummary, renderStatus } from '../render-report.ts';
import { openTarget, type TargetCommandOptions } from '../target-options.ts';

export interface ApplyCommandOptions extends TargetCommandOptions, CompleteFileOptions {
  /** How long to wait for the stack to become Ready. */
  timeoutSeconds: number;
  output?: 'text' | 'json';
  /** Progress lines as well as the live view. */
  verbose?: boolean;
}

/**
 * `clockwork apply`: brings the stack up in dependency order and waits until it is Ready. On a
 * terminal, a live tree redrawn on every change; otherwise (CI logs) one line per change.
 */
export async function apply(options: ApplyCommandOptions, io: Output): Promise<number> {
  const stack = await compileStackFile(options.file, { ...options, report: io.err });
  const target = await openTarget(options);
  const json = options.output === 'json';
  // A terminal that reports no size (some CI pseudo-terminals) cannot be redrawn in place.
  const sized = (process.stdout.rows ?? 0) > 0 && (process.stdout.columns ?? 0) > 0;
  const live = io.isTTY && sized && !json ? createLogUpdate(process.stdout) : undefined;
  try {
    if (!json) io.out(`Applying ${stack.resources.length} resources to namespace "${stack.namespace}" on ${target.kind}\n`);
    const report = await target.apply(stack, {
      timeoutMs: options.timeoutSeconds * 1000,
      ...((live && !options.verbose) || json ? {} : { progress: (line: string) => (live ? io.err(`${line}\n`) : io.out(`${line}\n`)) }),
      ...(live ? { onSnapshot: (snapshot: StackReport) => live(renderStatus(snapshot, stack)) } : {}),
    });
    if (live) {
      live(renderStatus(report, stack));
      live.done();
    }
    io.out(json ? `${JSON.stringify(report, null, 2)}\n` : renderApplySummary(report));
    return report.ready ? EXIT_OK : EXIT_FAILURE;
  } finally {
    await target.close();
  }
}
