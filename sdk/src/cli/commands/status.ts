import { compileStackFile } from '../compile-file.ts';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../../api/index.ts';
import type { Output } from '../output.ts';
import { renderStatus, renderStatusAll } from '../render-report.ts';
import { openTarget, type TargetCommandOptions } from '../target-options.ts';

export interface StatusCommandOptions extends Omit<TargetCommandOptions, 'file'> {
  /** The stack file; none with `all`. */
  file: string | undefined;
  /** Every stack in the namespace, read from the target (no stack file). */
  all?: boolean;
  /** With `all`: every namespace. */
  allNamespaces?: boolean;
  output: 'text' | 'json';
}

/** `clockwork status`: the tree of the stack with readiness and assertions; exits 1 unless all Ready. */
export async function status(options: StatusCommandOptions, io: Output): Promise<number> {
  const all = options.all === true || options.allNamespaces === true;
  if (all && options.file !== undefined) throw new UsageError(`status takes a stack file or --all, not both (got "${options.file}" and --all)`);
  if (!all) {
    if (options.file === undefined) throw new UsageError('status needs a stack file, or --all for every stack in the namespace (-A: in every namespace)');
    return statusOfFile({ ...options, file: options.file }, io);
  }
  const namespace = options.allNamespaces ? undefined : options.namespace;
  const target = await openTarget(options);
  try {
    const reports = await target.statusAll(namespace);
    io.out(options.output === 'json' ? `${JSON.stringify(reports, null, 2)}\n` : renderStatusAll(reports, { namespace, target: target.kind }));
    return reports.every((r) => r.ready && r.orphans.length === 0) ? EXIT_OK : EXIT_FAILURE;
  } finally {
    await target.close();
  }
}

async function statusOfFile(options: StatusCommandOptions & { file: string }, io: Output): Promise<number> {
  const stack = await compileStackFile(options.file, { namespace: options.namespace, imageMap: options.imageMap, report: io.err });
  const target = await openTarget(options);
  try {
    const report = await target.status(stack);
    io.out(options.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report, stack, { conditions: true }));
    return report.ready ? EXIT_OK : EXIT_FAILURE;
  } finally {
    await target.close();
  }
}
