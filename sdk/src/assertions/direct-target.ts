import { connect } from 'node:net';
import type { AssertionTarget } from './target.ts';

/**
 * A target reached over the network directly: a published port on the host (Docker), or a
 * Service name from inside the cluster. Running state and logs come from the backend.
 */
export function directTarget(options: {
  /** Host and port to use for a workload port. */
  address: (port: number) => { host: string; port: number };
  running: AssertionTarget['running'];
  logs: AssertionTarget['logs'];
}): AssertionTarget {
  return {
    async httpGet({ port, path, url, timeoutMs }) {
      let target = url;
      if (!target) {
        const a = options.address(port!);
        target = `http://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}${path ?? '/'}`;
      }
      const response = await fetch(target, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' }).catch((e: Error) => {
        throw new Error(`GET ${target}: ${describeFetchError(e)}`);
      });
      return { status: response.status, body: await response.text() };
    },
    tcpConnect(port, timeoutMs) {
      const a = options.address(port);
      return new Promise((resolve, reject) => {
        const socket = connect({ host: a.host, port: a.port, timeout: timeoutMs });
        socket.once('connect', () => {
          socket.destroy();
          resolve();
        });
        socket.once('timeout', () => {
          socket.destroy();
          reject(new Error(`connect to ${a.host}:${a.port}: timed out after ${timeoutMs} ms`));
        });
        socket.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`connect to ${a.host}:${a.port}: ${e.code ?? e.message}`)));
      });
    },
    running: options.running,
    logs: options.logs,
  };
}

function describeFetchError(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error.name === 'TimeoutError') return 'timed out';
  return cause?.code ?? cause?.message ?? error.message;
}
