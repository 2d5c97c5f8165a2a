import { connect } from 'node:net';
import { confinedUrl, PathNotConfinedError } from './confined-url.ts';
import { httpGet } from './http-get.ts';
import type { AssertionTarget } from './target.ts';
import { UrlNotAllowedError, type UrlPolicy } from './url-policy.ts';

/**
 * A target reached over the network directly: a published port on the host (Docker), or a
 * Service name from inside the cluster. Running state and logs come from the backend.
 */
export function directTarget(options: {
  /** Host and port to use for a workload port. */
  address: (port: number) => { host: string; port: number };
  running: AssertionTarget['running'];
  logs: AssertionTarget['logs'];
  /** Which `url`s may be fetched (the operator's); none: any, as the user (Docker). */
  urls?: UrlPolicy;
}): AssertionTarget {
  return {
    async httpGet({ port, path, url, timeoutMs }) {
      let target: URL;
      let lookup;
      if (url) {
        target = new URL(url);
        if (options.urls) lookup = options.urls.prepare(target).lookup;
      } else {
        const a = options.address(port!);
        target = confinedUrl(`http://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`, '', path ?? '/');
      }
      return httpGet(target, { timeoutMs, ...(lookup ? { lookup } : {}) }).catch((e: NodeJS.ErrnoException) => {
        if (e instanceof UrlNotAllowedError || e instanceof PathNotConfinedError) throw e;
        throw new Error(`GET ${url ?? target.href}: ${e.code ?? e.message}`);
      });
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
