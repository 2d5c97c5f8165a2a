import { compileStackFile } from '../compile-file.ts';
import { EXIT_FAILURE, EXIT_OK } from '../errors.ts';
import type { Output } from '../output.ts';
import { renderApplySummary } from '../render-report.ts';
import { openTarget, type TargetCommandOptions } from '../target-options.ts';

export interface ApplyCommandOptions extends TargetCommandOptions {
  /** How long to wait for the stack to become Ready. */
  timeoutSeconds: number;
}

/** `clockwork apply`: brings the stack up in dependency order and waits until it is Ready. */
export async function apply(options: ApplyCommandOptions, io: Output): Promise<number> {
  const stack = await compileStackFile(options.file, { namespace: options.namespace });
  const target = await openTarget(options);
  try {
    io.out(`Applying ${stack.resources.length} resources to namespace "${stack.namespace}" on ${target.kind}\n`);
    const report = await target.apply(stack, { timeoutMs: options.timeoutSeconds * 1000, progress: (line) => io.out(`${line}\n`) });
    io.out(renderApplySummary(report));
    return report.ready ? EXIT_OK : EXIT_FAILURE;
  } finally {
    await target.close();
  }
}
