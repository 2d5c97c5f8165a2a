import { ClockworkError } from '../../api/index.ts';
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface PodLogQuery {
  container: string;
  follow?: boolean;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** RFC 3339. */
  sinceTime?: string;
}

/** The API server refused the log request; `message` is its own (`container "main" … is waiting to start: ContainerCreating`). */
export class PodLogError extends ClockworkError {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Opens `GET /api/v1/namespaces/{ns}/pods/{pod}/log` with timestamps, as a byte stream. The
 * generated client's `Log` helper drops the server's error message, which is what tells a
 * container that has not started from one that is gone.
 */
export async function openPodLog(config: KubeConfig, namespace: string, pod: string, query: PodLogQuery, signal?: AbortSignal): Promise<IncomingMessage> {
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new Error('no current cluster in the kubeconfig');
  const url = new URL(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`, server);
  url.searchParams.set('container', query.container);
  url.searchParams.set('timestamps', 'true');
  if (query.follow) url.searchParams.set('follow', 'true');
  if (query.previous) url.searchParams.set('previous', 'true');
  if (query.tailLines !== undefined) url.searchParams.set('tailLines', String(query.tailLines));
  if (query.sinceSeconds) url.searchParams.set('sinceSeconds', String(query.sinceSeconds));
  else if (query.sinceTime) url.searchParams.set('sinceTime', query.sinceTime);
  const options: RequestOptions = { method: 'GET', headers: {} };
  await config.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'http:' ? httpRequest : httpsRequest)(url, { ...options, ...(signal ? { signal } : {}) }, (res) => {
      if (res.statusCode === 200) return resolve(res);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => reject(new PodLogError(res.statusCode ?? 0, statusMessage(Buffer.concat(chunks).toString('utf8')))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function statusMessage(body: string): string {
  try {
    const status = JSON.parse(body) as { message?: string };
    if (status.message) return status.message;
  } catch (error) {
    // Not a Status object: the body itself.
    if (!(error instanceof SyntaxError)) throw error;
  }
  return body.trim().slice(0, 500);
}
