import { compileStackFile } from '../compile-file.ts';
import { EXIT_FAILURE, EXIT_OK } from '../../api/index.ts';
import type { Output } from '../output.ts';
import { renderAssertions } from '../render-report.ts';
import { interruptSignal } from '../interrupt.ts';
import { openTarget, type TargetCommandOptions } from '../target-options.ts';
import type { StackReport } from '../../targets/target.ts';

export interface AssertCommandOptions extends TargetCommandOptions {
  /** Re-run until interrupted (or `signal` aborts). */
  watch?: boolean;
  intervalSeconds?: number;
  signal?: AbortSignal;
}

/** `clockwork assert`: runs every assertion now; exits 1 if any fails. */
export async function assert(options: AssertCommandOptions, io: Output): Promise<number> {
  const stack = await compileStackFile(options.file, { namespace: options.namespace, imageMap: options.imageMap, report: io.err });
  const target = await openTarget(options);
  const signal = options.signal ?? (options.watch ? interruptSignal() : undefined);
  try {
    let previous: StackReport | undefined;
    for (;;) {
      const report = await target.assert(stack, previous ? { previous } : {});
      const { text, tally } = renderAssertions(report, stack);
      if (options.watch) io.out(`--- ${new Date().toISOString()}\n`);
      io.out(text);
      if (!options.watch) return tally.failed > 0 ? EXIT_FAILURE : EXIT_OK;
      previous = report;
      if (await aborted(signal, (options.intervalSeconds ?? 5) * 1000)) return tally.failed > 0 ? EXIT_FAILURE : EXIT_OK;
    }
  } finally {
    await target.close();
  }
}

/** Waits `ms`; true when the signal aborted meanwhile. */
function aborted(signal: AbortSignal | undefined, ms: number): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve(true);
    }, { once: true });
  });
}
