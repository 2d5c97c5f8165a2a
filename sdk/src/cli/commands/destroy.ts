import { compileStackFile } from '../compile-file.ts';
import { EXIT_OK } from '../../api/index.ts';
import type { Output } from '../output.ts';
import { renderDestroy } from '../render-report.ts';
import { openTarget, type TargetCommandOptions } from '../target-options.ts';

export interface DestroyCommandOptions extends TargetCommandOptions {
  /** Wait for each wave to be gone before deleting the next (default true). */
  wait?: boolean;
  /** Also remove the stack's volumes and their data. */
  volumes?: boolean;
}

/**
 * `clockwork destroy`: removes the stack in reverse dependency order (dependents first). Volumes
 * are kept (and counted) unless `volumes`, which removes them once the workloads are gone.
 */
export async function destroy(options: DestroyCommandOptions, io: Output): Promise<number> {
  const stack = await compileStackFile(options.file, { namespace: options.namespace, imageMap: options.imageMap, report: io.err });
  const target = await openTarget(options);
  try {
    const report = await target.destroy(stack, { progress: (line) => io.out(`${line}\n`), wait: options.wait ?? true, volumes: options.volumes ?? false });
    io.out(renderDestroy(report, options.file));
    return EXIT_OK;
  } finally {
    await target.close();
  }
}
