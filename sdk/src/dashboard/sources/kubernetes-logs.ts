import { Writable, type Readable } from 'node:stream';
import { Log, type KubeConfig } from '@kubernetes/client-node';
import { isAfter, LineSplitter, stampedLine } from './log-lines.ts';
import { NoWorkloadError, type ReadLogsOptions } from './source.ts';

/** The operator names the one container of a Resource's Pod `main`. */
const CONTAINER = 'main';

/** A Pod's log as `kubectl logs [-f] --timestamps` reads it. */
export async function readKubernetesLogs(config: KubeConfig, namespace: string, pod: string, options: ReadLogsOptions): Promise<void> {
  const lines = new LineSplitter((line) => {
    const parsed = stampedLine(line);
    if (options.sinceTime && parsed.at && !isAfter(parsed.at, options.sinceTime)) return;
    options.onLine(parsed);
  });
  let finished: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (finished = resolve));
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk);
      done();
    },
    final(done) {
      lines.flush();
      done();
      finished();
    },
  });
  // The library pipes the response into `sink` without listening for the response's errors: an
  // aborted follow would otherwise be an uncaught error.
  sink.on('pipe', (source: Readable) => source.on('error', () => finished()));
  sink.on('close', () => finished());
  let controller: AbortController;
  try {
    controller = await new Log(config).log(namespace, pod, CONTAINER, sink, { follow: options.follow, timestamps: true, ...(options.sinceTime ? { sinceTime: options.sinceTime } : { tailLines: options.tailLines ?? 200 }) });
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === 404 || code === 400) throw new NoWorkloadError(`no log of Pod ${namespace}/${pod} yet (${code === 404 ? 'no such Pod' : 'its container has not started'})`);
    throw error;
  }
  const abort = () => controller.abort();
  options.signal.addEventListener('abort', abort, { once: true });
  if (options.signal.aborted) abort();
  await ended;
  options.signal.removeEventListener('abort', abort);
}
