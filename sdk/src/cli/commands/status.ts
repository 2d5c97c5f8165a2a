import { compileStackFile } from '../compile-file.ts';
import { EXIT_FAILURE, EXIT_OK } from '../errors.ts';
import type { Output } from '../output.ts';
import { renderStatus } from '../render-report.ts';
import { openTarget, type TargetCommandOptions } from '../target-options.ts';

export interface StatusCommandOptions extends TargetCommandOptions {
  output: 'text' | 'json';
}

/** `clockwork status`: the tree of the stack with readiness and assertions; exits 1 unless all Ready. */
export async function status(options: StatusCommandOptions, io: Output): Promise<number> {
  const stack = await compileStackFile(options.file, { namespace: options.namespace });
  const target = await openTarget(options);
  try {
    const report = await target.status(stack);
    io.out(options.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report, stack, { conditions: true }));
    return report.ready ? EXIT_OK : EXIT_FAILURE;
  } finally {
    await target.close();
  }
}
