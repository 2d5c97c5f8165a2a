import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/** At most this much of a response body or a log is read; the rest is never held in memory. */
export const MAX_READ_BYTES = 1024 * 1024;

export interface HttpGetResult {
  status: number;
  body: string;
  /** The body was longer than the limit and was cut there. */
  truncated: boolean;
}

export interface HttpGetOptions {
  timeoutMs: number;
  maxBytes?: number;
  /** Resolves the host name; a policy refuses addresses here, so the connection uses what it checked. */
  lookup?: LookupFunction;
  /** Credentials and TLS settings (the API server's). */
  request?: RequestOptions;
}

/**
 * A GET that never follows redirects and reads at most `maxBytes` of the body: a workload (or
 * anything a URL names) cannot make the reader hold more than that.
 */
export function httpGet(url: URL, o: HttpGetOptions): Promise<HttpGetResult> {
  const maxBytes = o.maxBytes ?? MAX_READ_BYTES;
  const request = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
  if (!request) return Promise.reject(new Error(`GET ${url.href}: only http and https are supported`));
  return new Promise((resolve, reject) => {
    const req = request(url, { ...o.request, method: 'GET', timeout: o.timeoutMs, ...(o.lookup ? { lookup: o.lookup } : {}) }, (res) => {
      readCapped(res, maxBytes).then(({ body, truncated }) => resolve({ status: res.statusCode ?? 0, body, truncated }), reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`timed out after ${o.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

/** Reads a response up to `maxBytes`, then stops reading and closes it. */
export function readCapped(res: IncomingMessage, maxBytes: number): Promise<{ body: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      resolve({ body: Buffer.concat(chunks).toString('utf8'), truncated });
    };
    res.on('data', (chunk: Buffer) => {
      if (done) return;
      const room = maxBytes - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (size >= maxBytes) {
        finish(true);
        res.destroy();
      }
    });
    res.on('end', () => finish(false));
    res.on('error', (error) => (done ? undefined : reject(error)));
    res.on('close', () => finish(false));
  });
}
