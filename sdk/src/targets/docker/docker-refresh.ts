import type Docker from 'dockerode';
import type { RefreshFilesOptions, RefreshFilesResult } from '../target.ts';
import { readContainerFile } from './container-files.ts';
import { demuxLogs, lastLines } from './log-frames.ts';
import { containerName } from './names.ts';

const POLL_MS = 100;

/**
 * Files updated in place in a Resource's container: read back until they are as given (the
 * engine wrote them with putArchive, so at once), then its reload: the signal through the
 * engine (the container's init passes it to the process), or the command run in it.
 */
export async function refreshContainerFiles(docker: Docker, options: RefreshFilesOptions): Promise<RefreshFilesResult> {
  const container = docker.getContainer(containerName(options.namespace, options.resource));
  const { Id: instance } = await container.inspect();
  const started = performance.now();
  const deadline = started + (options.timeoutMs ?? 30_000);
  let liveAfterMs: number | undefined;
  while (!options.signal?.aborted) {
    const seen = await Promise.all(options.files.map((f) => readContainerFile(container, f.mountPath)));
    if (seen.every((content, i) => content === options.files[i]!.content)) {
      liveAfterMs = Math.round(performance.now() - started);
      break;
    }
    if (performance.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (!options.reload || liveAfterMs === undefined) return { instance, ...(liveAfterMs !== undefined ? { liveAfterMs } : {}) };
  if (options.reload.signal) {
    await container.kill({ signal: options.reload.signal });
    return { instance, liveAfterMs, reloaded: `${options.reload.signal} sent` };
  }
  const command = options.reload.exec!;
  const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const { ExitCode } = await exec.inspect();
  const output = lastLines(demuxLogs(Buffer.concat(chunks)), 3).join(' | ');
  return { instance, liveAfterMs, reloaded: `${command.join(' ')}: exit code ${ExitCode}${output ? ` (${output})` : ''}` };
}
