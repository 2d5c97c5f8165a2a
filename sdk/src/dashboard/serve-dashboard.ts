import { ClockworkError } from '../api/index.ts';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CompiledStack } from '../stack/compile.ts';
import { DockerTarget } from '../targets/docker/docker-target.ts';
import { KubernetesTarget } from '../targets/kubernetes/kubernetes-target.ts';
import type { Target } from '../targets/target.ts';
import { loadAssets } from './assets.ts';
import type { DashboardSnapshot } from './dashboard-model.ts';
import { createDashboardServer } from './http-server.ts';
import type { ReadLogs } from './log-stream.ts';
import { LiveDashboard } from './live-dashboard.ts';
import { DockerSource } from './sources/docker-source.ts';
import { KubernetesSource } from './sources/kubernetes-source.ts';
import type { DashboardScope, DashboardSource } from './sources/source.ts';
import { Timeline } from './timeline.ts';

export const DEFAULT_DASHBOARD_PORT = 18400;
/** How many ports after the first one `nextFreePort` tries. */
const PORT_ATTEMPTS = 20;

export interface ServeDashboardOptions {
  /** An opened target (`selectTarget`): Docker or Kubernetes. The dashboard never changes anything on it. */
  target: Target;
  /** The stack file's stack; without one, every stack of `namespace`. */
  stack?: CompiledStack;
  /** Without a stack: the namespace whose stacks are shown; undefined shows every namespace. */
  namespace?: string | undefined;
  /** Shown in the page's header instead of the default (`stack in namespace "default"`). */
  title?: string;
  /** Default 18400; 0 picks any free port. */
  port?: number;
  /** When the port is taken, take the next free one (up to 20 further); otherwise fail. */
  nextFreePort?: boolean;
  /** Default 127.0.0.1. */
  address?: string;
  /** Docker: how often readiness is probed and due assertions run between container events (default 1000 ms). */
  refreshMs?: number;
}

export interface DashboardServer {
  /** `http://127.0.0.1:18400/` */
  readonly url: string;
  readonly port: number;
  /** What the page shows now (the `/api/stacks` document). */
  snapshot(): DashboardSnapshot;
  /** Shows another version of the stack (the stack file changed). */
  setStack(stack: CompiledStack, title?: string): void;
  close(): Promise<void>;
}

/** The port is taken (and `nextFreePort` was not asked for, or no port in the range was free). */
export class DashboardPortError extends ClockworkError {
  constructor(address: string, port: number, tried: number) {
    super(tried > 1 ? `ports ${port}–${port + tried - 1} on ${address} are all in use` : `port ${port} on ${address} is in use (choose another with --port, or 0 for any)`);
  }
}

/**
 * Serves the live dashboard of a stack (or of every stack of a namespace) on a local port:
 * `clockwork dashboard` and `clockwork dev` both call this. Resolves once the first state is
 * read and the server listens.
 */
export async function serveDashboard(options: ServeDashboardOptions): Promise<DashboardServer> {
  const scope: DashboardScope = options.stack ? { stack: options.stack } : { namespace: options.namespace };
  const timeline = new Timeline();
  const source = createSource(options.target, scope, timeline, options.refreshMs);
  return startDashboardServer({ ...options, source, timeline, readLogs: (o) => options.target.logs(o), title: options.title ?? describeScope(scope) });
}

/** The server over any source (serveDashboard picks the target's); starts the source and listens. */
export async function startDashboardServer(options: {
  source: DashboardSource;
  /** The timeline the source writes to. */
  timeline: Timeline;
  /** How a Resource's log is read (`Target.logs`). */
  readLogs: ReadLogs;
  title: string;
  port?: number;
  nextFreePort?: boolean;
  address?: string;
  /** Where the built page is (default: build/dashboard). */
  assetsDir?: string;
}): Promise<DashboardServer> {
  const assets = loadAssets(options.assetsDir);
  const { source } = options;
  const dashboard = new LiveDashboard({ target: source.target, scope: options.title, timeline: options.timeline });
  await source.start(dashboard.listener);
  const address = options.address ?? '127.0.0.1';
  const server = createDashboardServer({ dashboard, readLogs: options.readLogs, assets });
  let port: number;
  try {
    port = await listen(server, address, options.port ?? DEFAULT_DASHBOARD_PORT, options.nextFreePort ?? false);
  } catch (error) {
    await source.stop();
    throw error;
  }
  const host = address.includes(':') ? `[${address}]` : address === '0.0.0.0' ? '127.0.0.1' : address;
  return {
    url: `http://${host}:${port}/`,
    port,
    snapshot: () => dashboard.snapshot,
    setStack: (stack, title) => {
      source.setScope({ stack });
      dashboard.scope = title ?? describeScope({ stack });
    },
    close: async () => {
      await source.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function createSource(target: Target, scope: DashboardScope, timeline: Timeline, refreshMs: number | undefined): DashboardSource {
  if (target instanceof DockerTarget) return new DockerSource({ target, scope, timeline, ...(refreshMs ? { refreshMs } : {}) });
  if (target instanceof KubernetesTarget) return new KubernetesSource({ config: target.config, scope, timeline });
  throw new Error(`the dashboard cannot read a ${target.kind} target of this kind`);
}

export function describeScope(scope: DashboardScope): string {
  if ('stack' in scope) return `stack in namespace "${scope.stack.namespace}"`;
  return scope.namespace === undefined ? 'every stack in every namespace' : `every stack in namespace "${scope.namespace}"`;
}

async function listen(server: Server, address: string, first: number, nextFree: boolean): Promise<number> {
  const attempts = nextFree && first !== 0 ? PORT_ATTEMPTS + 1 : 1;
  for (let i = 0; i < attempts; i++) {
    const port = first === 0 ? 0 : first + i;
    const result = await new Promise<number | 'in-use'>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve('in-use') : reject(error));
      server.once('error', onError);
      server.listen(port, address, () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      });
    });
    if (result !== 'in-use') return result;
  }
  throw new DashboardPortError(address, first, attempts);
}
