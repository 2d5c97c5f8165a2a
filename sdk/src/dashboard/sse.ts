import type { IncomingMessage, ServerResponse } from 'node:http';

/** Comment lines keep idle connections (and proxies) from timing out. */
const HEARTBEAT_MS = 15_000;

export interface EventStream {
  /** Sends one event; `data` is written as one line of JSON. */
  send(event: string, data: unknown): void;
  /** Aborted when the client goes away (or `close` is called). */
  readonly signal: AbortSignal;
  close(): void;
}

/**
 * A server-sent events response (`text/event-stream`): the browser's EventSource receives each
 * `send` as it happens and reconnects by itself if the connection drops.
 */
export function openEventStream(request: IncomingMessage, response: ServerResponse): EventStream {
  const closed = new AbortController();
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  });
  // Reconnect after a second when the connection drops; then a comment so the client sees the stream open.
  response.write('retry: 1000\n: connected\n\n');
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const close = () => {
    if (closed.signal.aborted) return;
    clearInterval(heartbeat);
    closed.abort();
    response.end();
  };
  request.on('close', close);
  response.on('close', close);
  return {
    send: (event, data) => {
      if (closed.signal.aborted) return;
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    signal: closed.signal,
    close,
  };
}
