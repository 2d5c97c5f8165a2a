import { StringDecoder } from 'node:string_decoder';
import { CoreV1Api, Watch, type KubeConfig, type V1ContainerStatus, type V1Pod } from '@kubernetes/client-node';
import { LABEL_MANAGED_BY, LABEL_RESOURCE, MANAGED_BY, WORKLOAD_CONTAINER_NAME } from '../../api/index.ts';
import { ChangeCounter, logEvent, inWriteOrder, LineSplitter, readLogs, splitTimestamp, type LogLine, type LogReader, type LogsOptions } from '../logs.ts';
import { statusCode } from '../../kubernetes/index.ts';
import { openPodLog, PodLogError, type PodLogQuery } from './pod-log-request.ts';

/**
 * What a stack's Pods print, through the Pod log API (a Resource's Pod carries its name; its
 * container is `main`). Following picks up a restarted container and a replacing Pod: a watch
 * on the namespace's Clockwork Pods says when.
 */
export class PodLogs implements LogReader {
  readonly #config: KubeConfig;
  readonly #core: CoreV1Api;

  constructor(config: KubeConfig) {
    this.#config = config;
    this.#core = config.makeApiClient(CoreV1Api);
  }

  read(options: LogsOptions): AsyncGenerator<LogLine> {
    return readLogs(options, {
      once: (o, r) => this.#once(o, r),
      follow: (o, r, changes) => this.#follow(o, r, changes),
      // The watch ends with the follow's signal.
      watch: (o, changes) => {
        this.#watchPods(o, changes);
        return () => undefined;
      },
    });
  }

  async failureTail(namespace: string, resource: string, lines: number): Promise<string[]> {
    const pod = await this.#pod(namespace, resource);
    const status = mainStatus(pod);
    if (!status) return [];
    const started = status.state?.running || status.state?.terminated;
    if (!started && !status.lastState?.terminated) return [];
    try {
      const read = await this.#collect(namespace, resource, { container: WORKLOAD_CONTAINER_NAME, tailLines: lines, ...(started ? {} : { previous: true }) }, undefined);
      return read.map((l) => l.text).slice(-lines);
    } catch {
      return [];
    }
  }

  async #once(options: LogsOptions, resource: string): Promise<LogLine[]> {
    const query: PodLogQuery = {
      container: WORKLOAD_CONTAINER_NAME,
      ...(options.previous ? { previous: true } : {}),
      ...(options.tail !== undefined ? { tailLines: options.tail } : {}),
      ...(options.sinceSeconds ? { sinceSeconds: options.sinceSeconds } : {}),
    };
    try {
      return await this.#collect(options.namespace, resource, query, options.signal);
    } catch (error) {
      if (error instanceof PodLogError) return [logEvent(resource, error.status === 404 ? 'no Pod (the Resource is not applied, or its Pod is being replaced)' : error.message)];
      throw error;
    }
  }

  async *#follow(options: LogsOptions, resource: string, changes: ChangeCounter): AsyncGenerator<LogLine> {
    const { signal, namespace } = options;
    let last: { pod: string; container: string; ended: boolean } | undefined;
    let lastTime: string | undefined;
    let waitingSaid = '';
    const say = function* (text: string) {
      if (waitingSaid === text) return;
      waitingSaid = text;
      yield logEvent(resource, text, undefined, 'waiting');
    };
    while (!signal?.aborted) {
      const seen = changes.current(resource);
      const pod = await this.#pod(namespace, resource);
      const status = mainStatus(pod);
      const container = status?.containerID;
      const started = Boolean(status?.state?.running || status?.state?.terminated);
      const podUid = pod?.metadata?.uid ?? '';
      if (!pod) yield* say(last ? 'Pod deleted; waiting for a new one' : 'no Pod yet; waiting for one');
      else if (!container || !started) yield* say(`waiting for the container to start (${status?.state?.waiting?.reason ?? pod.status?.phase ?? 'Pending'})`);
      else if (!last || container !== last.container || (!last.ended && status?.state?.running)) {
        waitingSaid = '';
        const same = last?.container === container;
        if (last && !same) yield logEvent(resource, last.pod === podUid ? `container restarted (restart ${status?.restartCount ?? 0})` : `new Pod ${podUid}`, container);
        const query: PodLogQuery = { container: WORKLOAD_CONTAINER_NAME, follow: true };
        if (!last) Object.assign(query, options.tail !== undefined ? { tailLines: options.tail } : {}, options.sinceSeconds ? { sinceSeconds: options.sinceSeconds } : {});
        else if (same && lastTime) query.sinceTime = `${lastTime.slice(0, 19)}Z`;
        const current = { pod: podUid, container, ended: false };
        last = current;
        try {
          for await (const line of this.#stream(namespace, resource, query, container, signal)) {
            // sinceTime has whole seconds: what was already shown of this container is skipped.
            if (same && lastTime && line.time && line.time <= lastTime) continue;
            if (line.time) lastTime = line.time;
            yield line;
          }
        } catch (error) {
          // The container stopped or went between reading its status and its log: look again.
          if (!(error instanceof PodLogError) || signal?.aborted) throw error;
        }
        if (signal?.aborted) return;
        const after = mainStatus(await this.#pod(namespace, resource));
        if (after?.containerID === container && after.state?.terminated) {
          current.ended = true;
          yield logEvent(resource, `container exited with code ${after.state.terminated.exitCode}${after.state.terminated.reason ? ` (${after.state.terminated.reason})` : ''}`, container);
        } else if (after?.containerID !== container) current.ended = true;
        // Still reported running: its status catches up in a moment (a Pod event wakes this).
        else await Promise.race([changes.changed(resource, seen, signal), new Promise((resolve) => setTimeout(resolve, 1_000))]);
        continue;
      }
      await changes.changed(resource, seen, signal);
    }
  }

  async #collect(namespace: string, resource: string, query: PodLogQuery, signal: AbortSignal | undefined): Promise<LogLine[]> {
    const lines: LogLine[] = [];
    for await (const line of this.#stream(namespace, resource, query, undefined, signal)) lines.push(line);
    return lines;
  }

  async *#stream(namespace: string, resource: string, query: PodLogQuery, instance: string | undefined, signal: AbortSignal | undefined): AsyncGenerator<LogLine> {
    let response;
    try {
      response = await openPodLog(this.#config, namespace, resource, query, signal);
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
    const decoder = new StringDecoder('utf8');
    const splitter = new LineSplitter();
    const line = (raw: string): LogLine => {
      const { time, text } = splitTimestamp(raw);
      return { resource, text, ...(time ? { time } : {}), ...(instance ? { instance } : {}), kind: 'output' };
    };
    try {
      for await (const chunk of response) for (const raw of splitter.push(decoder.write(chunk as Buffer))) yield line(raw);
      for (const raw of splitter.push(decoder.end()).concat(splitter.flush())) yield line(raw);
    } catch (error) {
      if (!signal?.aborted) throw error;
    } finally {
      response.destroy();
    }
  }

  /** Counts changes of each Resource's Pod in the namespace until `options.signal` aborts. */
  #watchPods(options: LogsOptions, changes: ChangeCounter): void {
    const start = async () => {
      if (options.signal?.aborted) return;
      try {
        const abort = await new Watch(this.#config).watch(
          `/api/v1/namespaces/${options.namespace}/pods`,
          { labelSelector: `${LABEL_MANAGED_BY}=${MANAGED_BY}` },
          (_phase: string, pod: V1Pod) => {
            const resource = pod.metadata?.labels?.[LABEL_RESOURCE];
            if (resource) changes.bump(resource);
          },
          () => {
            changes.bump();
            if (!options.signal?.aborted) setTimeout(() => void start(), 1_000);
          },
        );
        if (options.signal?.aborted) abort.abort();
        else options.signal?.addEventListener('abort', () => abort.abort(), { once: true });
        // Anything may have changed before the watch was open.
        changes.bump();
      } catch {
        setTimeout(() => void start(), 1_000);
      }
    };
    void start();
  }

  async #pod(namespace: string, name: string): Promise<V1Pod | undefined> {
    try {
      return await this.#core.readNamespacedPod({ namespace, name });
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw error;
    }
  }
}

function mainStatus(pod: V1Pod | undefined): V1ContainerStatus | undefined {
  return pod?.status?.containerStatuses?.find((c) => c.name === WORKLOAD_CONTAINER_NAME);
}
