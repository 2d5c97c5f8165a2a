// A loopback TCP proxy that a test can pause, to cut a client off from a server the way a
// network partition does: connections stay open but nothing flows (no RST, no FIN), so the
// client only notices through its own timeouts. `resume()` lets the held bytes through.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

export interface TcpProxy {
  /** The local port the proxy listens on (127.0.0.1). */
  port: number;
  /** Stops moving bytes in both directions, on open and new connections. */
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Open client connections. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let paused = false;
  const pairs = new Set<[Socket, Socket]>();
  const pump = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!paused) from.resume();
    });
    from.on('end', () => to.end());
    from.on('error', () => to.destroy());
    from.on('close', () => to.destroy());
  };
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on('close', () => pairs.delete(pair));
    pump(client, upstream);
    pump(upstream, client);
    if (paused) for (const s of pair) s.pause();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    pause() {
      paused = true;
      for (const pair of pairs) for (const s of pair) s.pause();
    },
    resume() {
      paused = false;
      for (const pair of pairs) for (const s of pair) s.resume();
    },
    get paused() {
      return paused;
    },
    get connections() {
      return pairs.size;
    },
    async close() {
      for (const pair of pairs) for (const s of pair) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes a copy of a kubeconfig whose clusters point at 127.0.0.1:port (TLS still checks the apiserver's 127.0.0.1 SAN). */
export function kubeconfigThrough(kubeconfig: string, port: number, out: string): string {
  const doc = parse(readFileSync(kubeconfig, 'utf8')) as { clusters: { cluster: { server: string } }[] };
  for (const c of doc.clusters) {
    const url = new URL(c.cluster.server);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    c.cluster.server = url.toString().replace(/\/$/, '');
  }
  writeFileSync(out, stringify(doc));
  return out;
}
