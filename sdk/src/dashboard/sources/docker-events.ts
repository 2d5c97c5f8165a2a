import type Docker from 'dockerode';
import { parseContainerEvent, watchContainerEvents as followContainerEvents, type ContainerEvent as EngineEvent } from '../../targets/docker/container-events.ts';
import type { TimelineEntry } from '../dashboard-model.ts';

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
 * does, through the Docker target's follower (which connects again when the stream ends).
 */
export function watchContainerEvents(options: { docker: Docker; namespace: string | undefined; onEvent: (event: ContainerEvent) => void; onError: (message: string | undefined) => void }): { stop(): void } {
  return followContainerEvents({
    docker: options.docker,
    namespace: options.namespace,
    actions: ACTIONS,
    onEvent: (event) => {
      const shown = timelineEvent(event);
      if (shown) options.onEvent(shown);
    },
    onStatus: options.onError,
  });
}

/** One line of the events stream as a timeline entry of its Resource; undefined for anything else. */
export function parseEvent(line: string): ContainerEvent | undefined {
  const event = parseContainerEvent(line);
  return event && timelineEvent(event);
}

function timelineEvent(event: EngineEvent): ContainerEvent | undefined {
  const { action, attributes, resource } = event;
  if (!(ACTIONS as readonly string[]).includes(action)) return undefined;
  const at = new Date(event.timeMs ?? Date.now()).toISOString();
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
  return { namespace: event.namespace, resource, entry: { at, type, reason, message, source: 'docker' } };
}
