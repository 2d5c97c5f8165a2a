import { assertionKind, assertionNames, type AssertionSpec, type ResourceObject } from '../api/index.ts';
import type { ResourceReport, StackReport } from '../targets/target.ts';
import type { AssertionHistory } from './assertion-history.ts';
import type { CompositeView, EdgeView, EnvView, ExternalView, ResourceView, StackView } from './dashboard-model.ts';
import { isRootCause, resourceState } from './resource-state.ts';
import type { Timeline } from './timeline.ts';

export interface ModelInputs {
  reports: readonly StackReport[];
  /** The Resource objects as applied (spec, description); by `namespace/name`. */
  specs: ReadonlyMap<string, ResourceObject>;
  history: AssertionHistory;
  timeline: Timeline;
}

/**
 * Pure: what the page shows, from the target's reports. Nothing secret leaves here: env values
 * are left out (names and their source only), and a Secret is never read at all.
 */
export function buildStackViews(inputs: ModelInputs): StackView[] {
  return inputs.reports.map((report) => stackView(report, inputs));
}

function stackView(report: StackReport, inputs: ModelInputs): StackView {
  const ns = report.namespace;
  const id = (name: string) => `${ns}/${name}`;
  const readyById = new Map(report.resources.map((r) => [id(r.name), r.ready]));
  const composites: CompositeView[] = report.composites.map((c) => ({
    id: id(c.name),
    namespace: ns,
    name: c.name,
    ...(c.composite ? { composite: id(c.composite) } : {}),
    ready: c.ready,
    reason: c.reason,
    message: c.message,
    readyCount: c.readyCount,
    totalCount: c.totalCount,
  }));
  const compositeReady = new Map(composites.map((c) => [`composite:${c.id}`, c.ready]));
  const edges: EdgeView[] = [];
  const external = new Map<string, ExternalView>();
  const resources: ResourceView[] = report.resources.map((r) => {
    const self = id(r.name);
    const waiting = r.conditions?.find((c) => c.type === 'DependenciesReady')?.status === 'False';
    for (const dependency of r.dependencies) {
      if (dependency === self) continue;
      const known = readyById.get(dependency) ?? compositeReady.get(dependency);
      if (known === undefined) external.set(dependency, { id: dependency, label: dependency.replace(/^composite:/, 'composite ') });
      // Outside what is shown, a dependency blocks when the Resource says it waits for it.
      const blocking = known === undefined ? waiting && r.message.includes(dependency.replace(/^composite:/, '')) : !known;
      edges.push({ id: `${self}->${dependency}`, from: self, to: dependency, blocking });
    }
    return resourceView(report, r, inputs, edges.filter((e) => e.from === self && e.blocking).map((e) => e.to));
  });
  const readyCount = resources.filter((r) => r.ready).length;
  return { namespace: ns, ready: report.ready, readyCount, totalCount: resources.length, resources, composites, edges, external: [...external.values()], orphans: report.orphans };
}

function resourceView(report: StackReport, r: ResourceReport, inputs: ModelInputs, blockedBy: string[]): ResourceView {
  const ns = report.namespace;
  const self = `${ns}/${r.name}`;
  const spec = inputs.specs.get(self)?.spec;
  return {
    id: self,
    namespace: ns,
    name: r.name,
    ...(r.composite ? { composite: `${ns}/${r.composite}` } : {}),
    state: resourceState(r),
    ready: r.ready,
    reason: r.reason,
    message: r.message,
    rootCause: isRootCause(r),
    blockedBy,
    ...(spec?.description ? { description: spec.description } : {}),
    ...(spec?.image ? { image: spec.image } : {}),
    ports: (spec?.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}) })),
    ...(r.workload ? { workload: { name: r.workload.name, state: r.workload.state } } : {}),
    conditions: (r.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: c.lastTransitionTime })),
    assertionsSummary: r.assertionsSummary,
    assertions: assertionViews(ns, r, spec?.assertions ?? [], inputs.history),
    dependencies: r.dependencies,
    timeline: inputs.timeline.of(self),
    env: envViews(inputs.specs.get(self)),
  };
}

/** Every declared assertion (one not checked yet says so), with its recent checks. */
function assertionViews(namespace: string, r: ResourceReport, declared: readonly AssertionSpec[], history: AssertionHistory): ResourceView['assertions'] {
  const names = assertionNames(declared);
  const unchecked = declared
    .map((spec, i) => ({ spec, name: names[i]! }))
    .filter(({ name }) => !r.assertions.some((a) => a.name === name))
    .map(({ spec, name }) => ({ name, kind: assertionKind(spec), passed: false, message: `not checked yet (${r.reason})`, history: history.of(namespace, r.name, name) }));
  const checked = r.assertions.map((a) => ({
    name: a.name,
    kind: a.kind,
    passed: a.passed,
    message: a.message,
    ...(a.lastCheckedTime ? { lastCheckedTime: a.lastCheckedTime } : {}),
    ...(a.durationMs !== undefined ? { durationMs: a.durationMs } : {}),
    ...(a.consecutiveFailures !== undefined ? { consecutiveFailures: a.consecutiveFailures } : {}),
    history: history.of(namespace, r.name, a.name),
  }));
  // In declaration order.
  return [...checked, ...unchecked].sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));
}

/** Names and sources only: values are shown on request, a Secret's never. */
export function envViews(resource: ResourceObject | undefined): EnvView[] {
  return (resource?.spec.env ?? []).map((e): EnvView => {
    const secret = e.valueFrom?.secretKeyRef;
    const configMap = e.valueFrom?.configMapKeyRef;
    if (secret) return { name: e.name, from: 'secretKeyRef', ref: `${secret.name}/${secret.key}` };
    if (configMap) return { name: e.name, from: 'configMapKeyRef', ref: `${configMap.name}/${configMap.key}` };
    return { name: e.name, from: 'value' };
  });
}

/** The plain values of a Resource's env, for a user who asked; references stay references. */
export function envValues(resource: ResourceObject | undefined): { name: string; value?: string; from: EnvView['from']; ref?: string }[] {
  return envViews(resource).map((view, i) => (view.from === 'value' ? { ...view, value: resource!.spec.env![i]!.value ?? '' } : view));
}
