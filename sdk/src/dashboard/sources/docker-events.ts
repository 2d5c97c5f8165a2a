import type Docker from 'dockerode';
import { DOCKER_LABELS, namespaceFilter } from '../../targets/docker/names.ts';
import type { TimelineEntry } from '../dashboard-model.ts';
import { LineSplitter } from '../../targets/logs.ts';

/** A container of a Resource was created, started, stopped, died, removed… */
export interface ContainerEvent {
  namespace: string;
  resource: string;
  entry: TimelineEntry;
}

/** The lifecycle actions shown (exec_* actions are the probes' own and are left out). */
const ACTIONS = ['create', 'start', 'restart', 'stop', 'kill', 'die', 'oom', 'pause', 'unpause', 'destroy'] as const;

/**
 * Follows the engine's container events of one namespace (or every one), as `docker events`
 * does; when the stream ends (the engine restarted) it connects again after a second.
 */
export function watchContainerEvents(options: { docker: Docker; namespace: string | undefined; onEvent: (event: ContainerEvent) => void; onError: (message: string | undefined) => void }): { stop(): void } {
  let stopped = false;
  let stream: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    try {
      stream = (await options.docker.getEvents({ filters: { type: ['container'], event: [...ACTIONS], label: namespaceFilter(options.namespace) } })) as NodeJS.ReadableStream & { destroy?: () => void };
    } catch (error) {
      options.onError(`Docker events: ${(error as Error).message}`);
      if (!stopped) retry = setTimeout(() => void connect(), 1000);
      return;
    }
    if (stopped) return stream.destroy?.();
    options.onError(undefined);
    const lines = new LineSplitter();
    stream.on('data', (chunk: Buffer) => {
      for (const line of lines.push(chunk.toString('utf8'))) {
        const event = parseEvent(line);
        if (event) options.onEvent(event);
      }
    });
    stream.on('error', () => undefined);
    stream.on('close', () => {
      if (stopped) return;
      options.onError('the Docker events stream ended; connecting again');
      retry = setTimeout(() => void connect(), 1000);
    });
  };
  void connect();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(retry);
      stream?.destroy?.();
    },
  };
}

/** One line of the events stream as a timeline entry of its Resource; undefined for anything else. */
export function parseEvent(line: string): ContainerEvent | undefined {
  let event: { Action?: string; status?: string; time?: number; timeNano?: number; Actor?: { Attributes?: Record<string, string> } };
  try {
    event = JSON.parse(line);
  } catch {
    return undefined;
  }
  const attributes = event.Actor?.Attributes ?? {};
  const resource = attributes[DOCKER_LABELS.resource];
  const action = event.Action ?? event.status ?? '';
  if (!resource || !(ACTIONS as readonly string[]).includes(action)) return undefined;
  const at = new Date(event.timeNano ? event.timeNano / 1e6 : (event.time ?? Date.now() / 1000) * 1000).toISOString();
  const container = attributes['name'] ?? resource;
  const exitCode = attributes['exitCode'];
  const describe: Record<string, [TimelineEntry['type'], string, string]> = {
    create: ['Normal', 'Created', `container ${container} created from ${attributes['image'] ?? 'its image'}`],
    start: ['Normal', 'Started', `container ${container} started`],
    restart: ['Normal', 'Restarted', `container ${container} restarted`],
    stop: ['Normal', 'Stopped', `container ${container} stopped`],
    kill: ['Normal', 'Killed', `container ${container} sent signal ${attributes['signal'] ?? ''}`.trim()],
    die: [exitCode === '0' ? 'Normal' : 'Warning', 'Died', `container ${container} exited with code ${exitCode ?? 'unknown'}`],
    oom: ['Warning', 'OOMKilled', `container ${container} ran out of memory`],
    pause: ['Warning', 'Paused', `container ${container} paused`],
    unpause: ['Normal', 'Unpaused', `container ${container} unpaused`],
    destroy: ['Normal', 'Removed', `container ${container} removed`],
  };
  const [type, reason, message] = describe[action]!;
  return { namespace: attributes[DOCKER_LABELS.namespace] ?? 'default', resource, entry: { at, type, reason, message, source: 'docker' } };
}
