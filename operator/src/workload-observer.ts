import type { V1Job } from '@kubernetes/client-node';
import { ANNOTATION_SPEC_HASH, REASON } from '../../sdk/src/api/index.ts';
import { taskState, type ObservedWorkload, type Workload, type WorkloadState } from '../../sdk/src/engine/index.ts';
import { isControlledBy } from './child-ownership.ts';
import type { ChildStore } from './child-store.ts';
import { unboundClaimState } from './claim-status.ts';
import { INDEX_OWNED_BY } from './informer-set.ts';
import { currentPod, jobPods, jobTaskFacts, lastFailedPod } from './job-state.ts';
import type { CoreApi } from './kube-client.ts';
import { LastLogLines } from './last-log-lines.ts';
import { observePod, podHash, podWorkloadState } from './pod-state.ts';

/** The spec hash a Job was built from. */
export function jobHash(job: V1Job): string {
  return job.metadata?.annotations?.[ANNOTATION_SPEC_HASH] ?? '';
}

/**
 * How a Resource's workload is doing, from the caches: a server's Pod, or a task's Job and the
 * Job's Pods (with the last lines of the last failed one). A Pod that waits for its volumes says
 * why its claim is unbound. The workload of the other run mode (left by an earlier spec) shows as
 * on its way out. Only children this Resource controls are read (the caller reports the rest).
 */
export class WorkloadObserver {
  readonly #core: CoreApi;
  readonly #store: ChildStore;
  readonly #logs: LastLogLines;

  constructor(o: { core: CoreApi; store: ChildStore }) {
    this.#core = o.core;
    this.#store = o.store;
    this.#logs = new LastLogLines(o.core);
  }

  async server(workload: Workload): Promise<ObservedWorkload | undefined> {
    const { namespace, name } = workload;
    const pod = await this.#store.read('pod', namespace, name);
    // The Job of an earlier `run: once` spec: replaced by the Pod once it is gone.
    if (!pod) return this.#leftoverJob(workload);
    const observed = observePod(pod);
    if (!observed.state.ready && !pod.spec?.nodeName) {
      const claim = await this.#unboundClaims(workload);
      if (claim) return { hash: observed.hash, state: { ...claim, ...(observed.state.since ? { since: observed.state.since } : {}) } };
    }
    return observed;
  }

  async task(workload: Workload): Promise<ObservedWorkload | undefined> {
    const { namespace, name } = workload;
    const job = await this.#store.read('job', namespace, name);
    if (!job) {
      // The Pod of an earlier `run: always` spec: replaced by the Job once it is gone.
      const pod = await this.#store.read('pod', namespace, name);
      return pod && isControlledBy(pod, ownerOf(workload)) ? { hash: podHash(pod), state: podWorkloadState(pod) } : undefined;
    }
    const hash = jobHash(job);
    // A Job of this spec deleted by someone keeps its result (a completed task stays Completed).
    if (job.metadata?.deletionTimestamp && hash !== workload.hash) return { hash, state: { ready: false, reason: REASON.Terminating, message: 'the Job of an earlier spec is being deleted, with its Pods' } };
    const pods = jobPods(job, this.#store.cache('pod').byIndex(INDEX_OWNED_BY, job.metadata?.uid ?? ''));
    const failed = lastFailedPod(pods);
    const lastLines = failed ? await this.#logs.of(failed) : undefined;
    const facts = jobTaskFacts(job, pods, lastLines);
    if (facts.phase === 'pending') {
      const current = currentPod(pods);
      // A Pod that cannot start (an image that cannot be pulled) says so, as a server's would.
      if (current && podWorkloadState(current).failed) return { hash, state: podWorkloadState(current) };
      const claim = current && !current.spec?.nodeName ? await this.#unboundClaims(workload) : undefined;
      if (claim) return { hash, state: claim };
    }
    return { hash, state: taskState(facts) };
  }

  /** A Job left by an earlier spec of a Resource that is now a server. */
  async #leftoverJob(workload: Workload): Promise<ObservedWorkload | undefined> {
    const job = await this.#store.read('job', workload.namespace, workload.name);
    if (!job || !isControlledBy(job, ownerOf(workload))) return undefined;
    return { hash: jobHash(job), state: { ready: false, reason: REASON.Terminating, message: 'the Job of an earlier spec (run: once) is replaced by a Pod' } };
  }

  async #unboundClaims(workload: Workload): Promise<WorkloadState | undefined> {
    const claims = workload.volumes.flatMap((v) => this.#store.cache('claim').get(workload.namespace, v.claimName) ?? []);
    return claims.some((c) => c.status?.phase !== 'Bound') ? unboundClaimState(this.#core, claims) : undefined;
  }
}

function ownerOf(workload: Workload) {
  return { namespace: workload.namespace, name: workload.name, uid: workload.owner.uid };
}
