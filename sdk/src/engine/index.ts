export { directDependencies, refKey, type ResolvedRef } from './dependencies.ts';
export { desiredWorkload, injectedEnv, envPrefix, resolvePort, type Workload, type DependencyEndpoint } from './workload.ts';
export { evaluateResource, evaluateComposite, rootBlocker, condition, type ResourceFacts, type ResourceEvaluation, type DependencyState, type WorkloadState, type DescendantState } from './conditions.ts';
export { specHash, canonicalJson } from './spec-hash.ts';
