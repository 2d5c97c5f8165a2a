import type Docker from 'dockerode';
import { DOCKER_LABELS, namespaceFilter } from './names.ts';

export interface ContainerEvent {
  /** The Resource whose container it was. */
  resource: string;
  /** `start`, `die`, `destroy` or `kill` (`docker stop` and `docker kill` send one first; a crash does not). */
  action: string;
  /** The container's id. */
  container: string;
}

/**
 * Follows the engine's container events of a namespace (the Docker equivalent of a watch) and
 * calls `onEvent` for each one of a Clockwork container. Returns a function that stops it.
 */
export async function watchContainerEvents(docker: Docker, namespace: string, onEvent: (event: ContainerEvent) => void): Promise<() => void> {
  const stream = (await docker.getEvents({ filters: { type: ['container'], event: ['die', 'start', 'destroy', 'kill'], label: namespaceFilter(namespace) } })) as NodeJS.ReadableStream & { destroy?: () => void };
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const event = parseEvent(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      if (event) onEvent(event);
    }
  });
  // The stream ends with the engine; the next reconcile reads the real state.
  stream.on('error', () => undefined);
  return () => stream.destroy?.();
}

/** One line of the event stream; undefined for a partial or foreign line. */
function parseEvent(line: string): ContainerEvent | undefined {
  let event: { status?: string; Action?: string; id?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
  try {
    event = JSON.parse(line) as typeof event;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  const resource = event.Actor?.Attributes?.[DOCKER_LABELS.resource];
  return resource ? { resource, action: event.Action ?? event.status ?? '', container: event.Actor?.ID ?? event.id ?? '' } : undefined;
}
