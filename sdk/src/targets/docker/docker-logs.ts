import type Docker from 'dockerode';
import { ChangeCounter, logEvent, inWriteOrder, readLogs, splitTimestamp, unixSeconds, normaliseTime, type LogLine, type LogReader, type LogsOptions } from '../logs.ts';
import { FrameDecoder } from './log-frames.ts';
import { watchContainerEvents } from './container-events.ts';
import { containerName } from './names.ts';

type Info = Docker.ContainerInspectInfo;
interface StreamQuery {
  tail?: number;
  since?: number | string;
  until?: number | string;
}

/**
 * What a stack's containers print, read through the engine's log endpoint (stdout and stderr
 * demultiplexed). Following picks up a restarted container (from where it left off) and a
 * container that replaced it (from its start): the engine's container events say when.
 */
export class DockerLogs implements LogReader {
  readonly #docker: Docker;

  constructor(docker: Docker) {
    this.#docker = docker;
  }

  read(options: LogsOptions): AsyncGenerator<LogLine> {
    return readLogs(options, {
      once: (o, r) => this.#once(o, r),
      follow: (o, r, changes) => this.#follow(o, r, changes),
      watch: (o, changes) => {
        const events = this.#watchContainers(o, changes);
        return () => events.stop();
      },
    });
  }

  async failureTail(namespace: string, resource: string, lines: number): Promise<string[]> {
    const info = await this.#inspect(namespace, resource);
    if (!info) return [];
    const read = await this.#collect(info.Id, resource, { tail: lines });
    return inWriteOrder(read).map((l) => l.text).slice(-lines);
  }

  /** Lines written so far (or, with `previous`, before the container's last start). */
  async #once(options: LogsOptions, resource: string): Promise<LogLine[]> {
    const info = await this.#inspect(options.namespace, resource);
    if (!info) return [logEvent(resource, 'no container (the Resource is not applied, or its container was removed)')];
    const since = options.sinceSeconds ? { since: Math.floor(Date.now() / 1000) - options.sinceSeconds } : {};
    if (!options.previous) return this.#collect(info.Id, resource, { ...since, ...(options.tail !== undefined ? { tail: options.tail } : {}) });
    if (!info.State.Running) return tailOf(await this.#collect(info.Id, resource, since), options.tail);
    // A restarted container keeps its log: what it printed until its last run ended (FinishedAt
    // is stamped when that run exited, before the next one began; StartedAt may come after the
    // new run's first lines).
    const finished = info.State.FinishedAt && !info.State.FinishedAt.startsWith('0001') ? normaliseTime(info.State.FinishedAt) : undefined;
    const before = finished ? tailOf(await this.#collect(info.Id, resource, { ...since, until: unixSeconds(finished) }), options.tail) : [];
    return before.length ? before : [logEvent(resource, 'no previous instance: the container has not restarted', info.Id)];
  }

  async *#follow(options: LogsOptions, resource: string, changes: ChangeCounter): AsyncGenerator<LogLine> {
    const { signal } = options;
    // What was read last: which container, since which start, and whether its output ended.
    let last: { id: string; startedAt: string; ended: boolean } | undefined;
    let lastTime: string | undefined;
    let waitingSaid = false;
    while (!signal?.aborted) {
      const seen = changes.current(resource);
      const info = await this.#inspect(options.namespace, resource);
      const fresh = info && (!last || info.Id !== last.id || info.State.StartedAt !== last.startedAt || (!last.ended && info.State.Running));
      if (!info) {
        if (!waitingSaid) yield logEvent(resource, last ? 'container removed; waiting for a new one' : 'no container yet; waiting for one', undefined, 'waiting');
        waitingSaid = true;
      } else if (fresh) {
        waitingSaid = false;
        const same = last?.id === info.Id;
        if (last && last.startedAt !== info.State.StartedAt) yield logEvent(resource, same ? `container restarted${info.RestartCount ? ` (restart ${info.RestartCount})` : ""}` : `new container ${info.Id.slice(0, 12)}`, info.Id);
        const query: StreamQuery = !last
          ? { ...(options.tail !== undefined ? { tail: options.tail } : {}), ...(options.sinceSeconds ? { since: Math.floor(Date.now() / 1000) - options.sinceSeconds } : {}) }
          : same && lastTime
            ? { since: unixSeconds(lastTime) }
            : {};
        const current = { id: info.Id, startedAt: info.State.StartedAt, ended: false };
        last = current;
        for await (const line of this.#stream(info.Id, resource, query, signal)) {
          // `since` is inclusive: what was already shown of this container is skipped.
          if (same && lastTime && line.time && line.time <= lastTime) continue;
          if (line.time) lastTime = line.time;
          yield line;
        }
        if (signal?.aborted) return;
        const after = await this.#inspect(options.namespace, resource);
        if (after?.Id === info.Id && after.State.StartedAt === info.State.StartedAt) {
          if (after.State.Running) {
            // The engine closed a stream of a running container: read on after a pause.
            await new Promise((resolve) => setTimeout(resolve, 250));
          } else {
            current.ended = true;
            yield logEvent(resource, exitNote(after), after.Id);
          }
        } else current.ended = true;
        continue;
      }
      await changes.changed(resource, seen, signal);
    }
  }

  async #collect(id: string, resource: string, query: StreamQuery): Promise<LogLine[]> {
    const buffer = (await this.#docker.getContainer(id).logs({ stdout: true, stderr: true, timestamps: true, follow: false, ...query })) as unknown as Buffer;
    const decoder = new FrameDecoder();
    return [...decoder.push(Buffer.from(buffer)), ...decoder.flush()].map((raw) => outputLine(resource, raw, id));
  }

  async *#stream(id: string, resource: string, query: StreamQuery, signal: AbortSignal | undefined): AsyncGenerator<LogLine> {
    let stream: NodeJS.ReadableStream & { destroy(): void };
    try {
      stream = (await this.#docker.getContainer(id).logs({ stdout: true, stderr: true, timestamps: true, follow: true, ...query })) as unknown as typeof stream;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return;
      throw error;
    }
    const stop = () => stream.destroy();
    signal?.addEventListener('abort', stop, { once: true });
    const decoder = new FrameDecoder();
    try {
      for await (const chunk of stream) for (const raw of decoder.push(chunk as Buffer)) yield outputLine(resource, raw, id);
      for (const raw of decoder.flush()) yield outputLine(resource, raw, id);
    } catch (error) {
      if (!signal?.aborted) throw error;
    } finally {
      signal?.removeEventListener('abort', stop);
      stream.destroy();
    }
  }

  /** Counts container starts, deaths and removals per Resource of the namespace, until stopped. */
  #watchContainers(options: LogsOptions, changes: ChangeCounter): { stop(): void } {
    const events = watchContainerEvents({
      docker: this.#docker,
      namespace: options.namespace,
      actions: ['start', 'die', 'destroy'],
      onEvent: ({ resource }) => changes.bump(resource),
      // Anything may have happened while no stream was open.
      onStatus: (problem) => problem === undefined && changes.bump(),
    });
    options.signal?.addEventListener('abort', events.stop, { once: true });
    return events;
  }

  async #inspect(namespace: string, resource: string): Promise<Info | undefined> {
    try {
      return await this.#docker.getContainer(containerName(namespace, resource)).inspect();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }
}

function outputLine(resource: string, raw: string, instance: string): LogLine {
  const { time, text } = splitTimestamp(raw);
  return { resource, text, ...(time ? { time } : {}), instance, kind: 'output' };
}

function tailOf(lines: LogLine[], tail: number | undefined): LogLine[] {
  return tail === undefined ? lines : lines.slice(-tail);
}

function exitNote(info: Info): string {
  return `container exited with code ${info.State.ExitCode}${info.State.OOMKilled ? ' (OOMKilled)' : ''}`;
}
