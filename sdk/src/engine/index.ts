export { directDependencies, refKey, refOfKey, resourceRef, type ResolvedRef } from './dependencies.ts';
export { desiredWorkload, endpointOf, filesHash, updatedInPlace, injectedEnv, envPrefix, type Workload, type WorkloadKey, type WorkloadOwner, type DependencyEndpoint, type DesiredWorkloadOptions } from './workload.ts';
export { evaluateResource, evaluateComposite, rootBlocker, condition, isReady, isStalled, readinessOf, type ResourceFacts, type ResourceEvaluation, type DependencyState, type WorkloadState, type DescendantState } from './conditions.ts';
export { specHash, canonicalJson } from './spec-hash.ts';
export { WorkQueue, systemClock, type Clock, type WorkQueueOptions, type ReconcileResult } from './work-queue.ts';
export { reconcileResource, type ReconcileOptions, type ReconcileOutcome } from './reconcile-resource.ts';
export { StateGraph, nodeOf } from './state-graph.ts';
export type { WorkloadBackend, StateView, ObservedWorkload } from './backend.ts';
