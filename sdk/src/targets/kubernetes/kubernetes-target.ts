import type { KubeConfig } from '@kubernetes/client-node';
import { FINAL_WORKLOAD_REASONS, STACK_FAILURE_REASONS, type ClockworkObject, type ResourceSpec } from '../../api/index.ts';
import { emitObjects } from '../../manifest/emit.ts';
import type { CompiledStack } from '../../stack/compile.ts';
import { timed, type ApplyOptions, type AssertOptions, type DestroyOptions, type DevelopOptions, type RefreshFilesOptions, type RefreshFilesResult, type ResourceReport, type DestroyReport, type StackReport, type Target, type TargetProgress, type VolumeReport } from '../target.ts';
import { volumeFates } from '../volume-fates.ts';
import { withFailureLogs } from '../failure-logs.ts';
import type { LogLine, LogsOptions } from '../logs.ts';
import type { DevSessionClaim, DevSessionLock } from '../dev-session-lock.ts';
import { claimDevLease } from './dev-lease.ts';
import { PodLogs } from './pod-logs.ts';
import { liveObjectsReports, stackFileReport } from './live-report.ts';
import { refreshPodFiles } from './pod-refresh.ts';
import { preflight } from './preflight.ts';
import { APPLYSET_PART_OF_LABEL, applySetOf, type ApplySet } from './applyset.ts';
import { claimReport, StackClaims } from './stack-claims.ts';
import { StackObjects } from './stack-objects.ts';
import { StackWatch, type WatchedObjects } from './stack-watch.ts';

export interface KubernetesTargetOptions {
  config: KubeConfig;
  /**
   * Name of the stack (`deploy/main.ts`, or `--stack-name`): with the namespace, its ApplySet —
   * the inventory that prune reads and the field manager it applies with. None: no pruning.
   */
  stackName?: string | undefined;
  /** Take fields that other field managers own (server-side apply `force`). */
  forceConflicts?: boolean;
  /** Skip the operator check (tests of the check itself inject a clock instead). */
  now?: () => number;
}

/**
 * The stack on Kubernetes: the CLI only applies Composite and Resource objects (server-side
 * apply) and watches their status; the operator in the cluster does the rest.
 */
export class KubernetesTarget implements Target {
  readonly kind = 'kubernetes' as const;
  readonly #config: KubeConfig;
  readonly #objects: StackObjects;
  readonly #stackName: string | undefined;
  readonly #forceConflicts: boolean;
  readonly #now: () => number;
  readonly #logs: PodLogs;

  constructor(options: KubernetesTargetOptions) {
    this.#config = options.config;
    this.#logs = new PodLogs(options.config);
    this.#objects = new StackObjects(options.config);
    this.#stackName = options.stackName;
    this.#forceConflicts = options.forceConflicts ?? false;
    this.#now = options.now ?? Date.now;
  }

  apply(stack: CompiledStack, options: ApplyOptions): Promise<StackReport> {
    return this.#apply(stack, options, new Map());
  }

  /** Applies, then watches what the operator reports (it does the converging) until `signal` aborts. */
  async develop(stack: CompiledStack, options: DevelopOptions): Promise<void> {
    const announced = new Map<string, string>();
    for (const r of options.previous?.resources ?? []) announced.set(r.name, stateLine(r));
    const report = await this.#apply(stack, options, announced);
    await options.onApplied(report);
    if (options.signal.aborted) return;
    const started = performance.now();
    await this.#watch(stack, emitObjects(stack), options, started, timed(options.progress, started, options.clock), announced, options.signal);
  }

  refreshFiles(options: RefreshFilesOptions): Promise<RefreshFilesResult> {
    return refreshPodFiles(this.#config, options);
  }

  claimDevSession(claim: DevSessionClaim): Promise<DevSessionLock> {
    return claimDevLease(this.#config, claim);
  }

  async #apply(stack: CompiledStack, options: ApplyOptions, announced: Map<string, string>): Promise<StackReport> {
    const started = performance.now();
    const progress = timed(options.progress, started, options.clock);
    await preflight(this.#config, this.#now);
    const objects = emitObjects(stack);
    const applySet = this.#applySet(stack.namespace);
    const wanted = new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
    // The inventory holds the union while members are applied: an apply cut short prunes nothing it should not.
    const previous = applySet ? await this.#objects.inventory(applySet) : [];
    if (applySet) await this.#objects.writeInventory(applySet, [...previous, ...wanted]);
    await this.#objects.apply(objects, { ...(applySet ? { applySet } : {}), forceConflicts: this.#forceConflicts, onApplied: (o) => progress(`${o.kind.toLowerCase()} ${o.metadata.name}: applied`) });
    const pruned = new Set<string>();
    if (applySet) {
      for (const key of previous) {
        if (wanted.has(key)) continue;
        const [kind, name] = key.split('/') as ['Resource' | 'Composite', string];
        const live = await this.#objects.get(kind, stack.namespace, name);
        if (!live) continue;
        // Only what still belongs to this stack: another stack may have applied it since.
        if (live.metadata.labels?.[APPLYSET_PART_OF_LABEL] !== applySet.id) {
          progress(`${kind.toLowerCase()} ${name}: not pruned (it belongs to another stack now)`);
          continue;
        }
        await this.#objects.delete(kind, stack.namespace, name, live.metadata.uid);
        if (kind === 'Resource') pruned.add(name);
        progress(`${kind.toLowerCase()} ${name}: pruned (no longer in the stack)`);
      }
      await this.#objects.writeInventory(applySet, wanted);
    }
    const { kept: keptVolumes } = await this.#volumeChanges(stack, pruned);
    for (const v of keptVolumes) progress(`${v.resource}: volume ${v.volume} is not mounted by the stack; its data is kept in ${v.where}`);
    const report = options.wait === false ? await this.status(stack) : await this.#watch(stack, objects, options, started, progress, announced, undefined);
    const withLogs = await withFailureLogs(report, (name, lines) => this.logTail(stack.namespace, name, lines));
    return keptVolumes.length ? { ...withLogs, keptVolumes } : withLogs;
  }

  async volumeChanges(stack: CompiledStack): Promise<{ kept: VolumeReport[]; removed: VolumeReport[] }> {
    const wanted = new Set(stack.resources.map((r) => `Resource/${r.name}`));
    const applySet = this.#applySet(stack.namespace);
    const previous = applySet ? await this.#objects.inventory(applySet) : [];
    const leaving = previous.filter((key) => key.startsWith('Resource/') && !wanted.has(key)).map((key) => key.slice('Resource/'.length));
    return this.#volumeChanges(stack, new Set(leaving));
  }

  /**
   * Claims of the stack's Resources that they no longer mount, and claims of Resources pruned by
   * the apply: the retained ones are kept (their data, and where), those of `retain: false` go
   * with their Resource (the garbage collector removes them).
   */
  async #volumeChanges(stack: CompiledStack, pruned: ReadonlySet<string>): Promise<{ kept: VolumeReport[]; removed: VolumeReport[] }> {
    const mounted = new Map<string, ResourceSpec>(stack.resources.map((r) => [r.name, r.spec]));
    const claims = (await new StackClaims(this.#config, stack.namespace).list()).filter((c) => !c.deleting && (mounted.has(c.resource) || pruned.has(c.resource)));
    const { keep, remove } = volumeFates({ volumes: claims, mounted, leaving: new Map([...pruned].map((name) => [name, undefined])) });
    return { kept: keep.map(claimReport), removed: remove.map(claimReport) };
  }

  async status(stack: CompiledStack): Promise<StackReport> {
    const started = performance.now();
    const objects = emitObjects(stack);
    const live = await this.#objects.list(stack.namespace);
    return stackFileReport({ stack, emitted: objects, live: { resources: new Map(live.resources.map((r) => [r.metadata.name, r])), composites: new Map(live.composites.map((c) => [c.metadata.name, c])) }, elapsedMs: performance.now() - started });
  }

  /** Every Resource and Composite in the cluster (of one namespace, or all): as the operator last reported them. */
  async statusAll(namespace: string | undefined): Promise<StackReport[]> {
    const started = performance.now();
    const live = await this.#objects.list(namespace);
    return liveObjectsReports([...live.composites, ...live.resources], performance.now() - started);
  }

  /** The operator checks assertions continuously; this reads its latest results. */
  async assert(stack: CompiledStack, _options: AssertOptions & { previous?: StackReport }): Promise<StackReport> {
    return this.status(stack);
  }

  async destroy(stack: CompiledStack, options: DestroyOptions): Promise<DestroyReport> {
    const progress = timed(options.progress, performance.now());
    const removed: string[][] = [];
    const applySet = this.#applySet(stack.namespace);
    const deletions = options.wait === false ? undefined : await this.#watchDeletions(stack.namespace);
    /** Resources of this name that another stack applied: neither they nor their volumes are this destroy's. */
    const othersResources = new Set<string>();
    // What this stack may delete: an object another stack applied (its part-of label says so) is left alone.
    const deletable = async (kind: 'Resource' | 'Composite', name: string): Promise<string | undefined> => {
      const live = await this.#objects.get(kind, stack.namespace, name);
      if (!live) return undefined;
      const partOf = live.metadata.labels?.[APPLYSET_PART_OF_LABEL];
      if (partOf !== undefined && partOf !== applySet?.id) {
        if (kind === 'Resource') othersResources.add(name);
        progress(`${kind === 'Composite' ? 'composite ' : ''}${name}: not deleted (it belongs to another stack)`);
        return undefined;
      }
      return live.metadata.uid ?? '';
    };
    try {
      // Dependents first; each wave gone (Pods included: foreground deletion) before the next.
      for (const wave of stack.graph.reverseWaves()) {
        const mine = (await Promise.all(wave.map(async (name) => ({ name, uid: await deletable('Resource', name) })))).filter((x) => x.uid !== undefined);
        await Promise.all(mine.map(({ name, uid }) => this.#objects.delete('Resource', stack.namespace, name, uid || undefined)));
        await deletions?.gone('Resource', mine.map((x) => x.name));
        for (const { name } of mine) progress(`${name}: deleted`);
        if (mine.length) removed.push(mine.map((x) => x.name));
      }
      const composites = [...stack.composites].sort((a, b) => b.path.split('/').length - a.path.split('/').length);
      const gone: string[] = [];
      for (const c of composites) {
        const uid = await deletable('Composite', c.name);
        if (uid === undefined) continue;
        await this.#objects.delete('Composite', stack.namespace, c.name, uid || undefined);
        await deletions?.gone('Composite', [c.name]);
        progress(`composite ${c.name}: deleted`);
        gone.push(`composite ${c.name}`);
      }
      if (gone.length) removed.push(gone);
      if (applySet) await this.#objects.deleteInventory(applySet);
    } finally {
      deletions?.stop();
    }
    // The workloads are gone: the claims of `retain: false` went with their Resources; the
    // retained ones are kept unless --volumes.
    const inStack = new Set(stack.resources.map((r) => r.name).filter((name) => !othersResources.has(name)));
    const stackClaims = new StackClaims(this.#config, stack.namespace);
    const claims = (await stackClaims.list()).filter((c) => inStack.has(c.resource));
    const volumesRemoved = options.volumes ? claims.map(claimReport) : [];
    if (options.volumes) {
      await stackClaims.deleteAndWait(claims.map((c) => c.name));
      for (const v of volumesRemoved) progress(`${v.resource}: volume ${v.volume} removed (${v.where})`);
    }
    const volumesKept = options.volumes ? [] : claims.filter((c) => !c.deleting && c.retain).map(claimReport);
    return { target: 'kubernetes', namespace: stack.namespace, removed, networkRemoved: false, volumesRemoved, volumesKept };
  }

  logs(options: LogsOptions): AsyncIterable<LogLine> {
    return this.#logs.read(options);
  }

  logTail(namespace: string, resource: string, lines: number): Promise<string[]> {
    return this.#logs.failureTail(namespace, resource, lines);
  }

  /** The kubeconfig it talks through (the dashboard watches the same cluster). */
  get config(): KubeConfig {
    return this.#config;
  }

  async close(): Promise<void> {}

  #applySet(namespace: string): ApplySet | undefined {
    return this.#stackName === undefined ? undefined : applySetOf({ name: this.#stackName, namespace });
  }

  /** The namespace's objects as a watch sees them; `gone` resolves once none of `names` is left. */
  async #watchDeletions(namespace: string): Promise<{ gone(kind: 'Resource' | 'Composite', names: readonly string[]): Promise<void>; stop(): void }> {
    const watch = new StackWatch(this.#config, namespace);
    const checks = new Set<() => void>();
    // Listed and watching before anything is deleted, so no deletion event can be missed.
    await watch.start(() => {
      for (const check of [...checks]) check();
    });
    return {
      gone: (kind, names) =>
        new Promise<void>((resolve) => {
          const check = () => {
            const live = kind === 'Resource' ? watch.objects.resources : watch.objects.composites;
            if (names.some((name) => live.has(name))) return;
            checks.delete(check);
            resolve();
          };
          checks.add(check);
          check();
        }),
      stop: () => watch.stop(),
    };
  }

  /**
   * Watches the stack's objects and prints a line per change of a Resource: until the stack is
   * Ready or cannot progress (apply), or until `until` aborts (dev).
   */
  #watch(stack: CompiledStack, objects: ClockworkObject[], options: ApplyOptions, started: number, progress: TargetProgress, announced: Map<string, string>, until: AbortSignal | undefined): Promise<StackReport> {
    const watch = new StackWatch(this.#config, stack.namespace);
    return new Promise<StackReport>((resolve, reject) => {
      let settled = false;
      const finish = (report: StackReport) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        watch.stop();
        resolve(report);
      };
      const timer = until ? undefined : setTimeout(() => finish({ ...stackFileReport({ stack, emitted: objects, live: watch.objects, elapsedMs: performance.now() - started }), timedOut: true }), options.timeoutMs);
      until?.addEventListener('abort', () => finish(stackFileReport({ stack, emitted: objects, live: watch.objects, elapsedMs: performance.now() - started })), { once: true });
      watch
        .start((live) => {
          if (settled) return;
          const report = stackFileReport({ stack, emitted: objects, live, elapsedMs: performance.now() - started });
          for (const r of report.resources) {
            const state = stateLine(r);
            if (announced.get(r.name) === state) continue;
            announced.set(r.name, state);
            progress(`${r.name}: ${r.ready ? `ready (assertions ${r.assertionsSummary})` : `${r.reason} — ${r.message}`}`);
          }
          options.onSnapshot?.(report);
          // A failing Pod is not final (the kubelet restarts it); a task out of retries or a taken child name is.
          if (!until && (report.ready || report.resources.some((r) => STACK_FAILURE_REASONS.has(r.reason) || FINAL_WORKLOAD_REASONS.has(r.reason)))) finish(report);
        })
        .catch((error: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          watch.stop();
          reject(error);
        });
    });
  }
}

/** What a progress line says of a Resource: a new line only when this changes. */
function stateLine(r: ResourceReport): string {
  return `${r.reason}: ${r.message} ${r.assertionsSummary}`;
}
