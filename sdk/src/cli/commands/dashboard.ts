import { serveDashboard } from '../../dashboard/index.ts';
import { compileStackFile } from '../compile-file.ts';
import { EXIT_OK, UsageError } from '../../api/index.ts';
import { openBrowser } from '../open-browser.ts';
import type { Output } from '../output.ts';
import { openTarget, type TargetCommandOptions } from '../target-options.ts';

export interface DashboardCommandOptions extends Omit<TargetCommandOptions, 'file'> {
  /** The stack file; none with `all`. */
  file: string | undefined;
  all?: boolean;
  allNamespaces?: boolean;
  /** Undefined: 18400, or the next free port. */
  port?: number;
  address?: string;
  open?: boolean;
  /** Stops the server (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
}

/** `clockwork dashboard`: serves the live dashboard until interrupted. */
export async function dashboard(options: DashboardCommandOptions, io: Output): Promise<number> {
  const all = options.all === true || options.allNamespaces === true;
  if (all && options.file !== undefined) throw new UsageError(`dashboard takes a stack file or --all, not both (got "${options.file}" and --all)`);
  if (!all && options.file === undefined) throw new UsageError('dashboard needs a stack file, or --all for every stack in the namespace (-A: in every namespace)');
  const stack = options.file === undefined ? undefined : await compileStackFile(options.file, { namespace: options.namespace, imageMap: options.imageMap, report: io.err });
  const target = await openTarget(options);
  try {
    const server = await serveDashboard({
      target,
      ...(stack ? { stack, title: `${options.file} in namespace "${stack.namespace}"` } : { namespace: options.allNamespaces ? undefined : (options.namespace ?? 'default') }),
      port: options.port ?? 18400,
      nextFreePort: options.port === undefined,
      ...(options.address ? { address: options.address } : {}),
    });
    io.out(`Dashboard on ${target.kind}: ${server.url}\n(read-only; Ctrl-C stops it)\n`);
    if (options.address && !isLoopback(options.address)) io.err(`warning: the dashboard listens on ${options.address}: anyone who reaches it sees the stack, its logs and, on request, its env values\n`);
    if (options.open) openBrowser(server.url, io.err);
    await stopped(options.signal);
    await server.close();
    return EXIT_OK;
  } finally {
    await target.close();
  }
}

function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || address.startsWith('127.');
}

function stopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
