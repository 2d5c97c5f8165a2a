import type Docker from 'dockerode';
import { LineSplitter } from '../logs.ts';
import { DOCKER_LABELS, namespaceFilter } from './names.ts';

/** Something happened to the container of a Resource (`docker events`). */
export interface ContainerEvent {
  namespace: string;
  resource: string;
  /** `start`, `die`, `destroy`, `kill` (`docker stop` and `docker kill` send one first; a crash does not), … */
  action: string;
  /** The container's id. */
  container: string;
  /** When the engine saw it, in ms since the epoch (when the engine said). */
  timeMs?: number;
  /** The container's labels and the engine's own attributes (name, image, exitCode, signal). */
  attributes: Record<string, string>;
}

export interface ContainerEventsOptions {
  docker: Docker;
  /** One namespace's containers; every Clockwork container when undefined. */
  namespace: string | undefined;
  /** The actions to follow. */
  actions: readonly string[];
  onEvent(event: ContainerEvent): void;
  /**
   * The stream opened (undefined: anything may have happened while it was not), or failed or
   * ended (a message); it is opened again a second later, as the engine may have restarted.
   */
  onStatus?(problem: string | undefined): void;
}

/**
 * Follows the engine's container events of Clockwork's containers (the Docker equivalent of a
 * watch) until stopped. `opened` resolves once the first stream is open (or its attempt failed).
 */
export function watchContainerEvents(options: ContainerEventsOptions): { opened: Promise<void>; stop(): void } {
  let stopped = false;
  let stream: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
  let retry: NodeJS.Timeout | undefined;
  const again = () => {
    if (!stopped) retry = setTimeout(() => void connect(), 1_000);
  };
  const connect = async () => {
    try {
      stream = (await options.docker.getEvents({ filters: { type: ['container'], event: [...options.actions], label: namespaceFilter(options.namespace) } })) as NodeJS.ReadableStream & { destroy?: () => void };
    } catch (error) {
      options.onStatus?.(`Docker events: ${(error as Error).message}`);
      return again();
    }
    if (stopped) return void stream.destroy?.();
    options.onStatus?.(undefined);
    const lines = new LineSplitter();
    stream.on('data', (chunk: Buffer) => {
      for (const line of lines.push(chunk.toString('utf8'))) {
        const event = parseContainerEvent(line);
        if (event && options.actions.includes(event.action)) options.onEvent(event);
      }
    });
    // An error ends the stream: 'close' follows and connects again.
    stream.on('error', () => undefined);
    stream.on('close', () => {
      if (stopped) return;
      options.onStatus?.('the Docker events stream ended; connecting again');
      again();
    });
  };
  const opened = connect();
  return {
    opened,
    stop: () => {
      stopped = true;
      clearTimeout(retry);
      stream?.destroy?.();
    },
  };
}

/** One line of the event stream; undefined for a partial or foreign line, or one of no Resource. */
export function parseContainerEvent(line: string): ContainerEvent | undefined {
  let event: { Action?: string; status?: string; id?: string; time?: number; timeNano?: number; Actor?: { ID?: string; Attributes?: Record<string, string> } };
  try {
    event = JSON.parse(line) as typeof event;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  const attributes = event.Actor?.Attributes ?? {};
  const resource = attributes[DOCKER_LABELS.resource];
  if (!resource) return undefined;
  const timeMs = event.timeNano ? event.timeNano / 1e6 : event.time !== undefined ? event.time * 1000 : undefined;
  return { namespace: attributes[DOCKER_LABELS.namespace] ?? 'default', resource, action: event.Action ?? event.status ?? '', container: event.Actor?.ID ?? event.id ?? '', ...(timeMs !== undefined ? { timeMs } : {}), attributes };
}
