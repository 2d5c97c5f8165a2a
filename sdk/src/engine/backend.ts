import type { CompositeObject, ResourceObject } from '../api/index.ts';
import type { AssertionTarget } from '../assertions/target.ts';
import type { ResolvedRef } from './dependencies.ts';
import type { WorkloadState } from './conditions.ts';
import type { Workload, WorkloadKey } from './workload.ts';

/** A workload as the backend sees it now. */
export interface ObservedWorkload {
  /** The hash of the Workload it was built from (stored on the Pod or container). */
  hash: string;
  /**
   * The `filesHash` of the files it has now; undefined when the backend does not know (then a
   * change of content alone is not applied). A difference alone updates the files in place.
   */
  filesHash?: string;
  state: WorkloadState;
  /**
   * What is there is not this Resource's (a same-named object of someone else's): the engine
   * never applies over it and runs no assertion against it.
   */
  foreign?: boolean;
  /** Look again after this long even without an event (what is in the way sends none). */
  retryAfterMs?: number;
}

/**
 * The narrow interface between the engine and a place that runs containers. The Kubernetes
 * backend maps a Workload to a Pod, Service and ConfigMap; the Docker backend to a container on
 * a user-defined network. The Workload is all a backend sees of a Resource; neither knows
 * anything about ordering, dependencies or assertions.
 */
export interface WorkloadBackend {
  /** The host name dependents reach a workload by: its Service DNS name, or its network alias. */
  hostOf(workload: WorkloadKey): string;
  /** The workload as it is, or undefined when there is none. */
  observe(workload: Workload): Promise<ObservedWorkload | undefined>;
  /**
   * Creates the workload, or replaces it when `observed` was built from another hash; repairs
   * what is missing; updates its files in place when only their content differs.
   */
  apply(workload: Workload, observed: ObservedWorkload | undefined): Promise<void>;
  /** How assertions reach the workload. */
  assertionTarget(workload: Workload): AssertionTarget;
}

/**
 * What the engine can read of the stack's objects: an informer cache, or the stack in memory.
 * Only lookups: what follows from them (ancestors, descendants, dependencies, cycles) is the
 * dependency model's, read through a `StateGraph`.
 */
export interface StateView {
  getResource(namespace: string, name: string): ResourceObject | undefined;
  getComposite(namespace: string, name: string): CompositeObject | undefined;
  /** The direct members of Composite `name`: the objects of its namespace labelled with its name. */
  membersOf(namespace: string, name: string): { resources: ResourceObject[]; composites: CompositeObject[] };
  /**
   * Why Resources of namespace `from` may not depend on objects of namespace `to`, or undefined
   * when they may (that namespace consents: annotation clockwork.dev/allow-dependents-from).
   * Absent: always (a stack in memory, the Docker target).
   */
  dependencyRefusal?(from: string, to: string): string | undefined;
}

export type { ResolvedRef };
