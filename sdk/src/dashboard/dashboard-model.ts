/**
 * What the dashboard shows, as `/api/stacks` returns it and the page receives it over
 * server-sent events. Types only (no imports), so the browser bundle shares them.
 */

/** The state a Resource's node is drawn in, as a word (the `data-state` of its node). */
export type ResourceState = 'Ready' | 'Waiting' | 'Starting' | 'Failing' | 'Completed' | 'Unknown';

export const RESOURCE_STATES: readonly ResourceState[] = ['Ready', 'Waiting', 'Starting', 'Failing', 'Completed', 'Unknown'];

export interface DashboardSnapshot {
  target: 'docker' | 'kubernetes';
  /** What is shown, in words: `stack main.ts in namespace "default"`, `every stack in every namespace`. */
  scope: string;
  /** When this snapshot was made (ISO 8601). */
  generatedAt: string;
  stacks: StackView[];
  /** Why the target could not be read just now; the last known state is kept. */
  error?: string;
}

/** One namespace's stack. */
export interface StackView {
  namespace: string;
  ready: boolean;
  readyCount: number;
  totalCount: number;
  resources: ResourceView[];
  composites: CompositeView[];
  /** Dependent → dependency, one per dependency (a Composite dependency points at its boundary). */
  edges: EdgeView[];
  /** Dependencies outside what is shown (another namespace, or not applied). */
  external: ExternalView[];
  /** Workloads that belong to no Resource of the stack. */
  orphans: string[];
}

export interface ResourceView {
  /** `namespace/name`: the node's `data-resource`. */
  id: string;
  namespace: string;
  name: string;
  /** `namespace/name` of the Composite it sits in directly. */
  composite?: string;
  state: ResourceState;
  ready: boolean;
  /** The Ready condition's reason and full message. */
  reason: string;
  message: string;
  /** Not Ready for a reason of its own (not only waiting for a dependency): where to look first. */
  rootCause: boolean;
  /** Dependencies (ids) that are not Ready: the edges that block it. */
  blockedBy: string[];
  description?: string;
  image?: string;
  ports: { name?: string; port: number; hostPort?: number }[];
  /** The container or Pod running it. */
  workload?: { name: string; state: string };
  conditions: ConditionView[];
  /** `passed/total`. */
  assertionsSummary: string;
  assertions: AssertionView[];
  /** Ids of what it depends on: `namespace/name`, or `composite:namespace/name`. */
  dependencies: string[];
  /** Kubernetes Events of the Resource and its Pod, or the Docker transitions; newest last. */
  timeline: TimelineEntry[];
  /** Env names and where their values come from; values only on request (`/api/env`). */
  env: EnvView[];
}

export interface ConditionView {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export interface AssertionView {
  name: string;
  kind: string;
  passed: boolean;
  message: string;
  lastCheckedTime?: string;
  durationMs?: number;
  consecutiveFailures?: number;
  /** The last checks seen, oldest first. */
  history: CheckPoint[];
}

/** One check of an assertion. `passed` is the check's own result (not held by a failure threshold). */
export interface CheckPoint {
  at: string;
  passed: boolean;
  durationMs?: number;
  message: string;
}

export interface CompositeView {
  /** `namespace/name`: the boundary's `data-composite`. */
  id: string;
  namespace: string;
  name: string;
  /** `namespace/name` of the Composite it sits in. */
  composite?: string;
  ready: boolean;
  reason: string;
  message: string;
  readyCount: number;
  totalCount: number;
}

export interface EdgeView {
  /** `<from>-><to>`. */
  id: string;
  /** The dependent (a Resource id). */
  from: string;
  /** The dependency: a Resource id, or `composite:namespace/name`. */
  to: string;
  /** The dependency is not Ready, so the dependent waits on it. */
  blocking: boolean;
}

export interface ExternalView {
  /** As in `dependencies`: `namespace/name` or `composite:namespace/name`. */
  id: string;
  label: string;
}

export interface TimelineEntry {
  at: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** Who said it: the operator, the kubelet, the Docker engine, or the dashboard itself. */
  source: string;
  count?: number;
}

export interface EnvView {
  name: string;
  /** Where the value comes from; a Secret's value is never read or shown. */
  from: 'value' | 'secretKeyRef' | 'configMapKeyRef';
  /** `name/key` of the Secret or ConfigMap. */
  ref?: string;
}
