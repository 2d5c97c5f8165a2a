import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { containerName } from '../../targets/docker/names.ts';
import { demuxLogs } from '../../targets/docker/log-frames.ts';
import { isAfter, LineSplitter, stampedLine } from './log-lines.ts';
import { NoWorkloadError, type ReadLogsOptions } from './source.ts';

/** A container's log as `docker logs [--follow] --timestamps` reads it: stdout and stderr as written. */
export async function readDockerLogs(docker: Docker, namespace: string, name: string, options: ReadLogsOptions): Promise<void> {
  const container = docker.getContainer(containerName(namespace, name));
  let tty = false;
  try {
    tty = (await container.inspect()).Config.Tty === true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) throw new NoWorkloadError(`no container ${containerName(namespace, name)}`);
    throw error;
  }
  const since = options.sinceTime ? Date.parse(options.sinceTime) / 1000 : undefined;
  const emit = (line: string) => {
    const parsed = stampedLine(line);
    // `since` has second precision on older engines: drop what was already sent.
    if (options.sinceTime && parsed.at && !isAfter(parsed.at, options.sinceTime)) return;
    options.onLine(parsed);
  };
  const range = { stdout: true, stderr: true, timestamps: true, ...(since !== undefined ? { since: Math.floor(since) } : { tail: options.tailLines ?? 200 }) };
  if (!options.follow) {
    const text = demuxLogs(await container.logs({ ...range, follow: false }));
    for (const line of text.split('\n')) if (line) emit(line);
    return;
  }
  const stream = (await container.logs({ ...range, follow: true })) as NodeJS.ReadableStream & { destroy(): void };
  await new Promise<void>((resolve) => {
    const out = new LineSplitter(emit);
    const err = new LineSplitter(emit);
    const done = () => {
      out.flush();
      err.flush();
      options.signal.removeEventListener('abort', abort);
      resolve();
    };
    const abort = () => stream.destroy();
    options.signal.addEventListener('abort', abort, { once: true });
    if (options.signal.aborted) abort();
    if (tty) stream.on('data', (chunk: Buffer) => out.push(chunk));
    else {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      stdout.on('data', (chunk: Buffer) => out.push(chunk));
      stderr.on('data', (chunk: Buffer) => err.push(chunk));
      docker.modem.demuxStream(stream, stdout, stderr);
    }
    stream.on('error', done);
    stream.on('end', done);
    stream.on('close', done);
  });
}
