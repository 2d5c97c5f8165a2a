import { hostname, userInfo } from 'node:os';
import { DEFAULT_DASHBOARD_PORT, serveDashboard } from '../../dashboard/index.ts';
import { FreshLoader } from '../../dev/load-fresh.ts';
import type { CompiledStack } from '../../stack/compile.ts';
import { runDevSession } from '../dev/dev-session.ts';
import { liveDevOutput, plainDevOutput } from '../dev/dev-output.ts';
import { EXIT_OK } from '../../api/index.ts';
import { withImageMap } from '../image-map-option.ts';
import { interruptSignal } from '../interrupt.ts';
import type { Output } from '../output.ts';
import { openTarget, stackNameOf, type TargetCommandOptions } from '../target-options.ts';

export interface DevCommandOptions extends TargetCommandOptions {
  /** How long each apply waits for the stack to settle before watching on. */
  timeoutSeconds: number;
  /** Tear the stack down when dev stops. */
  down?: boolean;
  /** Stops the session (default: Ctrl-C). */
  signal?: AbortSignal;
  /** Serve the dashboard (default true). */
  dashboard?: boolean;
  /** Its port; undefined: 18400, or the next free one. */
  dashboardPort?: number;
}

/**
 * `clockwork dev`: applies the stack and stays in the foreground, keeping it converged and
 * applying every save of the stack file, its modules and the files it reads.
 */
export async function dev(options: DevCommandOptions, io: Output): Promise<number> {
  const target = await openTarget(options);
  const signal = options.signal ?? interruptSignal();
  const sized = (process.stdout.rows ?? 0) > 0 && (process.stdout.columns ?? 0) > 0;
  const output = io.isTTY && sized ? liveDevOutput(process.stdout) : plainDevOutput(io);
  const loader = new FreshLoader();
  try {
    await runDevSession({
      file: options.file,
      namespace: options.namespace ?? 'default',
      stackName: stackNameOf(options.file, options.stackName),
      target,
      output,
      signal,
      timeoutMs: options.timeoutSeconds * 1000,
      holder: { identity: `${safeUser()}@${hostname()} pid ${process.pid}`, file: options.file },
      ...(options.down ? { down: true } : {}),
      ...(options.dashboard === false
        ? {}
        : {
            dashboard: (stack: CompiledStack) =>
              serveDashboard({ target, stack, title: `${options.file} in namespace "${stack.namespace}" (clockwork dev)`, port: options.dashboardPort ?? DEFAULT_DASHBOARD_PORT, nextFreePort: options.dashboardPort === undefined }),
          }),
      load: async () => {
        const loaded = await loader.load({ file: options.file, namespace: options.namespace });
        return loaded.ok ? { ...loaded, stack: withImageMap(loaded.stack, { imageMap: options.imageMap, report: io.err }) } : loaded;
      },
    });
    return EXIT_OK;
  } finally {
    output.close();
    await loader.close();
    await target.close();
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'someone';
  }
}
