import { connect } from 'node:net';
import type Docker from 'dockerode';
import { resolvePort, type PortSpec, type ReadinessSpec } from '../../api/index.ts';
import { demuxLogs, lastLines } from './log-frames.ts';
import type { ProbeResult } from './prober.ts';

export interface ContainerProbeOptions {
  container: Docker.Container;
  readiness: ReadinessSpec | undefined;
  ports: readonly PortSpec[];
  /** The container's address on its network, for http and tcp probes; undefined when it has none. */
  address: () => Promise<string | undefined>;
  /** For the message when it has no address. */
  network: string;
}

/**
 * One readiness probe, run from the host: exec through the engine, http/tcp to the container's
 * address; without a readiness probe, running is ready.
 */
export async function probeContainer(o: ContainerProbeOptions): Promise<ProbeResult> {
  const { readiness } = o;
  const timeoutMs = (readiness?.timeoutSeconds ?? 1) * 1000;
  if (!readiness) {
    const info = await o.container.inspect();
    return { ok: info.State.Running, message: info.State.Running ? 'running' : `container ${info.State.Status}` };
  }
  if (readiness.exec) return execProbe(o.container, readiness.exec.command, timeoutMs);
  const ip = await o.address();
  if (!ip) return { ok: false, message: `container has no address on network ${o.network}` };
  if (readiness.httpGet) return httpProbe(ip, resolvePort(o.ports, readiness.httpGet.port), readiness.httpGet.path ?? '/', timeoutMs);
  return tcpProbe(ip, resolvePort(o.ports, readiness.tcpSocket!.port)!, timeoutMs);
}

async function httpProbe(ip: string, port: number | undefined, path: string, timeoutMs: number): Promise<ProbeResult> {
  try {
    const response = await fetch(`http://${ip}:${port}${path}`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 400;
    return { ok, message: `GET ${path} on port ${port}: ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return { ok: false, message: `GET ${path} on port ${port}: ${cause}` };
  }
}

async function execProbe(container: Docker.Container, command: string[], timeoutMs: number): Promise<ProbeResult> {
  const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream & { destroy(): void };
  const chunks: Buffer[] = [];
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    new Promise<boolean>((resolve) => {
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve(true));
      stream.on('close', () => resolve(true));
      stream.on('error', () => resolve(true));
    }),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (!finished) {
    stream.destroy();
    return { ok: false, message: `${command.join(' ')}: timed out after ${timeoutMs} ms` };
  }
  const info = await exec.inspect();
  const output = lastLines(demuxLogs(Buffer.concat(chunks)), 2).join(' | ');
  return { ok: info.ExitCode === 0, message: `${command.join(' ')}: exit code ${info.ExitCode}${output ? ` (${output})` : ''}` };
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ok: true, message: `port ${port} accepts connections` });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ ok: false, message: `connect to port ${port}: timed out` });
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, message: `connect to port ${port}: ${e.code ?? e.message}` }));
  });
}
