import type { KubeConfig } from '@kubernetes/client-node';
// Only the pieces of the client library a JSON request needs: its generated API classes pull in
// the serializer of every model (757 of them), ~60 MiB of a long-running process.
import { ApiException } from '@kubernetes/client-node/dist/gen/apis/exception.js';
import { RequestContext, type HttpMethod } from '@kubernetes/client-node/dist/gen/http/http.js';
import { fetch } from 'undici';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
  /** Content-Type of the body (default application/json; a patch names its kind). */
  contentType?: string;
  /** Give up after this long (default 30 s): a request must not hold a worker forever. */
  timeoutMs?: number;
  /** The answer as text (Pod logs), not parsed. */
  text?: boolean;
}

export const MERGE_PATCH = 'application/merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/**
 * Requests to the API server as plain JSON, authenticated and pooled exactly as the client
 * library's own calls are (its KubeConfig sets the headers and the shared dispatcher). Errors are
 * the library's ApiException, so `statusCode` and `describeError` read them the same way.
 */
export class KubeJson {
  readonly kc: KubeConfig;
  readonly server: string;

  constructor(kc: KubeConfig) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('no cluster in the kubeconfig');
    this.kc = kc;
    this.server = cluster.server.replace(/\/$/, '');
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const context = new RequestContext(url.toString(), method);
    await this.kc.applySecurityAuthentication(context);
    const headers: Record<string, string> = { ...context.getHeaders(), Accept: options.text ? '*/*' : 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
    const dispatcher = context.getDispatcher();
    const response = await fetch(url, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(dispatcher ? { dispatcher } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    if (response.status >= 400) {
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => (responseHeaders[name] = value));
      throw new ApiException(response.status, `HTTP-Code: ${response.status}\nMessage: ${method} ${path}\nBody: ${text.slice(0, 1000)}`, text, responseHeaders);
    }
    if (options.text) return text as T;
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  create<T>(path: string, body: T): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  replace<T>(path: string, body: T): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  /** A JSON merge patch (RFC 7386). */
  mergePatch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body, contentType: MERGE_PATCH });
  }

  /** Server-side apply as `fieldManager`: lists keyed by a field (owner references by uid, finalizers) merge with other managers' entries. */
  apply<T>(path: string, body: unknown, fieldManager: string): Promise<T> {
    return this.request<T>('PATCH', path, { body, contentType: APPLY_PATCH, query: { fieldManager, force: true } });
  }

  delete(path: string, body?: unknown, query?: Query): Promise<unknown> {
    return this.request('DELETE', path, { ...(body !== undefined ? { body } : {}), ...(query ? { query } : {}) });
  }
}
