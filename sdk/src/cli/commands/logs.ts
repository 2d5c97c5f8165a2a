import { compileStackFile } from '../compile-file.ts';
import { EXIT_OK, UsageError } from '../../api/index.ts';
import { interruptSignal } from '../interrupt.ts';
import { logFormatter, wantsColour } from '../log-format.ts';
import type { Output } from '../output.ts';
import { selectResources } from '../select-resources.ts';
import { openTarget, type TargetCommandOptions } from '../target-options.ts';

export interface LogsCommandOptions extends TargetCommandOptions {
  /** Resource or Composite names; none: the whole stack. */
  names: string[];
  follow?: boolean;
  sinceSeconds?: number;
  tail?: number;
  previous?: boolean;
  timestamps?: boolean;
  /** Ends a follow (default: Ctrl-C). */
  signal?: AbortSignal;
}

/**
 * `clockwork logs`: what the stack's containers print, each line prefixed with its Resource
 * (a stable colour per Resource on a terminal). With `follow`, until interrupted, across
 * restarts and replacements.
 */
export async function logs(options: LogsCommandOptions, io: Output): Promise<number> {
  if (options.previous && options.follow) throw new UsageError('--previous shows a terminated instance, which cannot be followed: use one or the other');
  const stack = await compileStackFile(options.file, { namespace: options.namespace, imageMap: options.imageMap, report: io.err });
  const resources = selectResources(stack, options.names, options.file);
  const target = await openTarget(options);
  const signal = options.signal ?? (options.follow ? interruptSignal() : undefined);
  const format = logFormatter({ resources, colour: wantsColour(io.isTTY), timestamps: options.timestamps ?? false });
  try {
    const lines = target.logs({
      namespace: stack.namespace,
      resources,
      ...(options.follow ? { follow: true } : {}),
      ...(options.sinceSeconds !== undefined ? { sinceSeconds: options.sinceSeconds } : {}),
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
      ...(options.previous ? { previous: true } : {}),
      ...(signal ? { signal } : {}),
    });
    for await (const line of lines) io.out(`${format(line)}\n`);
    return EXIT_OK;
  } finally {
    await target.close();
  }
}

