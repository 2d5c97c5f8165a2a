// What the dashboard shows, from the engine's own verdicts: each Resource's state word, the
// edges that block, the assertion history, the timeline, and nothing secret.
import { describe, expect, test } from '@jest/globals';
import type { AssertionStatus, ResourceObject } from '../../sdk/src/api/index.ts';
import { AssertionHistory } from '../../sdk/src/dashboard/assertion-history.ts';
import { buildStackViews, envValues } from '../../sdk/src/dashboard/build-model.ts';
import { isRootCause, resourceState } from '../../sdk/src/dashboard/resource-state.ts';
import { parseEvent } from '../../sdk/src/dashboard/sources/docker-events.ts';
import { timelines } from '../../sdk/src/dashboard/sources/kubernetes-source.ts';
import { Timeline } from '../../sdk/src/dashboard/timeline.ts';
import { evaluateResource, type ResourceFacts } from '../../sdk/src/engine/index.ts';
import type { ResourceReport, StackReport } from '../../sdk/src/targets/target.ts';

const NS = 'shop';
const now = new Date('2026-05-01T10:00:00Z');
const ref = (name: string) => ({ kind: 'Resource' as const, namespace: NS, name });

/** A report whose conditions the engine itself computed from `facts`. */
function evaluated(name: string, facts: Partial<ResourceFacts>, extra: Partial<ResourceReport> = {}): ResourceReport {
  const e = evaluateResource({ now, dependencies: [], assertions: { total: 0, results: [] }, ...facts });
  const ready = e.conditions[0]!;
  return {
    name,
    ready: e.ready,
    reason: ready.reason,
    message: ready.message,
    conditions: e.conditions,
    assertionsSummary: e.assertionsSummary,
    assertions: [...(facts.assertions?.results ?? [])],
    dependencies: (facts.dependencies ?? []).map((d) => `${d.ref.kind === 'Composite' ? 'composite:' : ''}${d.ref.namespace}/${d.ref.name}`),
    ...extra,
  };
}

const running = { ready: true, running: true, reason: 'Ready', message: 'running; readiness probe passed' };
const check = (name: string, passed: boolean, at: string, extra: Partial<AssertionStatus> = {}): AssertionStatus => ({ name, kind: 'http', passed, message: passed ? 'GET /health: 200' : 'expected status 200, got 503', lastCheckedTime: at, durationMs: 4, consecutiveFailures: passed ? 0 : 1, ...extra });

/** The seed with postgres-db stopped: its container exited, api-service waits for it and its health check fails. */
function seedWithDatabaseStopped(): StackReport {
  const postgres = evaluated('postgres-db', { workload: { ready: false, failed: true, reason: 'Exited', message: 'container exited with code 0' } }, { composite: 'webapp' });
  const prometheus = evaluated('prometheus', { workload: running, assertions: { total: 1, results: [check('healthy', true, '2026-05-01T10:00:00Z')] } });
  const api = evaluated(
    'api-service',
    {
      dependencies: [
        { ref: ref('postgres-db'), found: true, ready: false, message: 'container exited with code 0' },
        { ref: ref('prometheus'), found: true, ready: true },
      ],
      workload: { ...running },
      assertions: { total: 1, results: [check('healthy', false, '2026-05-01T10:00:00Z', { passed: false, consecutiveFailures: 3 })] },
    },
    { composite: 'webapp' },
  );
  return {
    target: 'docker',
    namespace: NS,
    ready: false,
    resources: [prometheus, postgres, api],
    composites: [{ name: 'webapp', ready: false, reason: 'Waiting', message: '0/2 Resources Ready', readyCount: 0, totalCount: 2 }],
    orphans: [],
    elapsedMs: 3,
  };
}

const views = (reports: StackReport[], specs = new Map<string, ResourceObject>(), history = new AssertionHistory(), timeline = new Timeline()) => buildStackViews({ reports, specs, history, timeline });

describe('the state word of a Resource', () => {
  test('Ready, and Completed for a task that ran to completion', () => {
    expect(resourceState(evaluated('web', { workload: running }))).toBe('Ready');
    expect(resourceState({ ready: true, reason: 'Completed', conditions: [] })).toBe('Completed');
    // A workload meant to keep running that exited 0 (a Pod that Succeeded) has failed: Exited, not Completed.
    expect(resourceState(evaluated('web', { workload: { ready: false, failed: true, reason: 'Exited', message: 'Pod exited (the container ran to completion)' } }))).toBe('Failing');
  });

  test('Failing when its workload failed or its own assertions fail; a Stalled wait is Failing too', () => {
    const exited = evaluated('db', { workload: { ready: false, failed: true, reason: 'Exited', message: 'exit 1' } });
    expect(resourceState(exited)).toBe('Failing');
    expect(isRootCause(exited)).toBe(true);
    const failingAssertion = evaluated('api', { workload: running, assertions: { total: 1, results: [check('healthy', false, '2026-05-01T10:00:00Z')] } });
    expect(failingAssertion.reason).toBe('AssertionFailed');
    expect(resourceState(failingAssertion)).toBe('Failing');
    const stalled = evaluated('api', { dependencies: [{ ref: ref('db'), found: true, ready: false }], timeouts: { dependenciesSeconds: 1 }, waitingSince: new Date(now.getTime() - 5000) });
    expect(stalled.reason).toBe('Stalled');
    expect(resourceState(stalled)).toBe('Failing');
  });

  test('Waiting while a dependency is not Ready, even when its assertions fail because of it; not a root cause', () => {
    const api = seedWithDatabaseStopped().resources[2]!;
    expect(api.reason).toBe('WaitingForDependencies');
    expect(resourceState(api)).toBe('Waiting');
    expect(isRootCause(api)).toBe(false);
  });

  test('Starting while the workload comes up or the assertions are not all checked; Unknown when not applied', () => {
    expect(resourceState(evaluated('web', { workload: { ready: false, running: true, reason: 'Starting', message: 'readiness probe failing' } }))).toBe('Starting');
    expect(resourceState(evaluated('web', { workload: running, assertions: { total: 2, results: [check('a', true, '2026-05-01T10:00:00Z')] } }))).toBe('Starting');
    expect(resourceState({ ready: false, reason: 'NotApplied', conditions: [] })).toBe('Unknown');
    expect(resourceState({ ready: false, reason: 'Pending', conditions: [] })).toBe('Waiting');
  });
});

describe('the stack view', () => {
  test('the edge to a dependency that is not Ready blocks; the dependent lists it as its blocker', () => {
    const [stack] = views([seedWithDatabaseStopped()]);
    const api = stack!.resources.find((r) => r.name === 'api-service')!;
    expect(stack!.edges).toEqual([
      { id: 'shop/api-service->shop/postgres-db', from: 'shop/api-service', to: 'shop/postgres-db', blocking: true },
      { id: 'shop/api-service->shop/prometheus', from: 'shop/api-service', to: 'shop/prometheus', blocking: false },
    ]);
    expect(api.blockedBy).toEqual(['shop/postgres-db']);
    expect(api.composite).toBe('shop/webapp');
    expect(stack!.resources.map((r) => `${r.name}:${r.state}`)).toEqual(['prometheus:Ready', 'postgres-db:Failing', 'api-service:Waiting']);
    expect(stack!.composites).toEqual([{ id: 'shop/webapp', namespace: NS, name: 'webapp', ready: false, reason: 'Waiting', message: '0/2 Resources Ready', readyCount: 0, totalCount: 2 }]);
    expect(stack!.readyCount).toBe(1);
  });

  test('a dependency on a Composite points at its boundary; one outside what is shown is listed as external', () => {
    const report = seedWithDatabaseStopped();
    report.resources.push(
      evaluated('frontend', {
        dependencies: [
          { ref: { kind: 'Composite', namespace: NS, name: 'webapp' }, found: true, ready: false },
          { ref: { kind: 'Resource', namespace: 'payments', name: 'ledger' }, found: true, ready: true },
        ],
      }),
    );
    const [stack] = views([report]);
    expect(stack!.edges.filter((e) => e.from === 'shop/frontend')).toEqual([
      { id: 'shop/frontend->composite:shop/webapp', from: 'shop/frontend', to: 'composite:shop/webapp', blocking: true },
      { id: 'shop/frontend->payments/ledger', from: 'shop/frontend', to: 'payments/ledger', blocking: false },
    ]);
    expect(stack!.external).toEqual([{ id: 'payments/ledger', label: 'payments/ledger' }]);
  });

  test("env: names and sources only; values on request, a Secret's value never (it is not even read)", () => {
    const spec: ResourceObject = {
      apiVersion: 'clockwork.dev/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'postgres-db', namespace: NS },
      spec: { image: 'postgres:16.4', env: [{ name: 'POSTGRES_USER', value: 'app' }, { name: 'DB_TOKEN', valueFrom: { secretKeyRef: { name: 'db', key: 'token' } } }, { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }] },
    };
    const [stack] = views([seedWithDatabaseStopped()], new Map([['shop/postgres-db', spec]]));
    const postgres = stack!.resources.find((r) => r.name === 'postgres-db')!;
    expect(postgres.env).toEqual([{ name: 'POSTGRES_USER', from: 'value' }, { name: 'DB_TOKEN', from: 'secretKeyRef', ref: 'db/token' }, { name: 'MODE', from: 'configMapKeyRef', ref: 'settings/mode' }]);
    expect(JSON.stringify(stack)).not.toContain('"app"');
    expect(envValues(spec)).toEqual([{ name: 'POSTGRES_USER', from: 'value', value: 'app' }, { name: 'DB_TOKEN', from: 'secretKeyRef', ref: 'db/token' }, { name: 'MODE', from: 'configMapKeyRef', ref: 'settings/mode' }]);
  });

  test('a declared assertion not checked yet is listed and says so', () => {
    const report = seedWithDatabaseStopped();
    const spec: ResourceObject = { apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', metadata: { name: 'postgres-db', namespace: NS }, spec: { image: 'postgres', assertions: [{ name: 'accepting-connections', tcp: { port: 5432 } }] } };
    const [stack] = views([report], new Map([['shop/postgres-db', spec]]));
    expect(stack!.resources.find((r) => r.name === 'postgres-db')!.assertions).toEqual([{ name: 'accepting-connections', kind: 'tcp', passed: false, message: 'not checked yet (Exited)', history: [] }]);
  });
});

describe('assertion history', () => {
  const reportWith = (...checks: AssertionStatus[]): StackReport => ({ ...seedWithDatabaseStopped(), resources: [{ ...seedWithDatabaseStopped().resources[0]!, assertions: checks }] });

  test('each new check is kept once, with its own outcome (a failure under the threshold is a failed check)', () => {
    const history = new AssertionHistory();
    expect(history.record([reportWith(check('healthy', true, '2026-05-01T10:00:00Z'))])).toBe(true);
    expect(history.record([reportWith(check('healthy', true, '2026-05-01T10:00:00Z'))])).toBe(false);
    history.record([reportWith(check('healthy', true, '2026-05-01T10:00:01Z', { consecutiveFailures: 1, durationMs: 1000 }))]);
    history.record([reportWith(check('healthy', true, '2026-05-01T10:00:02Z'))]);
    expect(history.of(NS, 'prometheus', 'healthy').map((c) => [c.at.slice(17, 19), c.passed, c.durationMs])).toEqual([
      ['00', true, 4],
      ['01', false, 1000],
      ['02', true, 4],
    ]);
  });

  test('keeps the last checks only', () => {
    const history = new AssertionHistory({ length: 3 });
    for (let s = 0; s < 5; s++) history.record([reportWith(check('healthy', true, `2026-05-01T10:00:0${s}Z`))]);
    expect(history.of(NS, 'prometheus', 'healthy').map((c) => c.at)).toEqual(['2026-05-01T10:00:02Z', '2026-05-01T10:00:03Z', '2026-05-01T10:00:04Z']);
  });
});

describe('timelines', () => {
  test("Kubernetes: the Events about a Resource and about its Pod, listed (Dates) or watched (strings); others left out", () => {
    const resources = [{ apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', metadata: { name: 'postgres-db', namespace: NS }, spec: { image: 'x' }, status: { podName: 'postgres-db' } }] as ResourceObject[];
    const entries = timelines(
      [
        { metadata: { namespace: NS }, involvedObject: { apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', name: 'postgres-db', namespace: NS }, reason: 'NotReady', message: 'Pod is terminating', type: 'Warning', lastTimestamp: new Date('2026-05-01T10:00:02Z'), reportingComponent: 'clockwork.dev/operator' },
        { metadata: { namespace: NS }, involvedObject: { kind: 'Pod', name: 'postgres-db', namespace: NS }, reason: 'Killing', message: 'Stopping container main', type: 'Normal', lastTimestamp: '2026-05-01T10:00:01Z' as unknown as Date, source: { component: 'kubelet' }, count: 2 },
        { metadata: { namespace: NS }, involvedObject: { kind: 'Pod', name: 'someone-else', namespace: NS }, reason: 'Killing', message: 'x', type: 'Normal' },
      ],
      resources,
    );
    expect([...entries.keys()]).toEqual(['shop/postgres-db']);
    expect(entries.get('shop/postgres-db')).toEqual([
      { at: '2026-05-01T10:00:02.000Z', type: 'Warning', reason: 'NotReady', message: 'Pod is terminating', source: 'clockwork.dev/operator' },
      { at: '2026-05-01T10:00:01.000Z', type: 'Normal', reason: 'Killing', message: 'Stopping container main', source: 'kubelet', count: 2 },
    ]);
    const timeline = new Timeline();
    timeline.replaceAll(entries);
    expect(timeline.of('shop/postgres-db').map((e) => e.reason)).toEqual(['Killing', 'NotReady']);
  });

  test("Docker: a container's lifecycle events, not the probes' exec events", () => {
    const labels = { 'clockwork.dev/resource': 'postgres-db', 'clockwork.dev/namespace': NS, name: 'clockwork-shop-postgres-db' };
    const died = parseEvent(JSON.stringify({ Type: 'container', Action: 'die', timeNano: Date.parse('2026-05-01T10:00:00Z') * 1e6, Actor: { Attributes: { ...labels, exitCode: '137' } } }));
    expect(died).toEqual({ namespace: NS, resource: 'postgres-db', entry: { at: '2026-05-01T10:00:00.000Z', type: 'Warning', reason: 'Died', message: 'container clockwork-shop-postgres-db exited with code 137', source: 'docker' } });
    expect(parseEvent(JSON.stringify({ Type: 'container', Action: 'exec_start: pg_isready', Actor: { Attributes: labels } }))).toBeUndefined();
    expect(parseEvent('not json')).toBeUndefined();
  });
});
