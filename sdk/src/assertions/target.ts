/** How an assertion reaches a workload; each backend provides one. */
export interface AssertionTarget {
  /** An HTTP GET of `path` on a port of the workload, or of an absolute `url`; at most MAX_READ_BYTES of the body. */
  httpGet(request: { port?: number; path?: string; url?: string; timeoutMs: number }): Promise<{ status: number; body: string; truncated?: boolean }>;
  /** Resolves when a TCP connection to the port succeeds. */
  tcpConnect(port: number, timeoutMs: number): Promise<void>;
  /** Whether the workload's process is running (Pod phase Running / container running). */
  running(): Promise<{ running: boolean; message: string }>;
  /** The workload's log, the last `sinceSeconds` of it when given; at most MAX_READ_BYTES (the first ones). */
  logs(sinceSeconds: number | undefined): Promise<string>;
}

export const ASSERTION_DEFAULTS = { intervalSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 } as const;
