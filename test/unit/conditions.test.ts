import { describe, expect, test } from '@jest/globals';
import { evaluateComposite, evaluateResource, injectedEnv, type ResourceFacts } from '../../sdk/src/engine/index.ts';

const now = new Date('2026-01-01T00:00:10Z');
const ref = (name: string) => ({ kind: 'Resource' as const, namespace: 'default', name });
const base: ResourceFacts = { now, dependencies: [], assertions: { total: 0, results: [] } };
const byType = (facts: ResourceFacts) => Object.fromEntries(evaluateResource(facts).conditions.map((c) => [c.type, c]));

describe('resource conditions', () => {
  test('Ready = DependenciesReady ∧ Available ∧ AssertionsPassed', () => {
    const c = byType({ ...base, workload: { ready: true, reason: 'Running', message: 'Pod ready' } });
    expect([c.Ready!.status, c.DependenciesReady!.status, c.Available!.status, c.AssertionsPassed!.status]).toEqual(['True', 'True', 'True', 'True']);
    expect(c.AssertionsPassed!.reason).toBe('NoAssertions');
  });

  test('the message names the root blocker, not the direct dependency', () => {
    const c = byType({
      ...base,
      dependencies: [
        { ref: ref('api'), found: true, ready: false, blockedByDependencies: true, message: 'waiting for default/postgres-db: Pod not ready (ImagePullBackOff)' },
        { ref: ref('cache'), found: true, ready: false, message: 'Pod not ready (Starting)' },
      ],
    });
    expect(c.Ready).toMatchObject({ status: 'False', reason: 'WaitingForDependencies' });
    expect(c.Ready!.message).toBe('waiting for default/postgres-db: Pod not ready (ImagePullBackOff); waiting for default/cache: Pod not ready (Starting)');
    expect(c.Available).toMatchObject({ status: 'False', reason: 'WaitingForDependencies' });
  });

  test('distinct reasons: not found, cycle, invalid reference, failing workload, stalled', () => {
    expect(byType({ ...base, dependencies: [{ ref: ref('ghost'), found: false, ready: false }] }).Ready).toMatchObject({ reason: 'DependencyNotFound', message: 'waiting for default/ghost: not found' });
    expect(byType({ ...base, cycle: ['default/a', 'default/b', 'default/a'] }).Ready).toMatchObject({ reason: 'DependencyCycle', message: 'dependency cycle: default/a → default/b → default/a' });
    expect(byType({ ...base, dependencyErrors: ['invalid dependency "A B"'] }).Ready!.reason).toBe('InvalidDependency');
    expect(byType({ ...base, workload: { ready: false, reason: 'CrashLoopBackOff', message: 'back-off restarting', failed: true } }).Ready).toMatchObject({ reason: 'CrashLoopBackOff' });
    const stalled = byType({ ...base, timeouts: { readySeconds: 5 }, workload: { ready: false, reason: 'Starting', message: 'starting', since: new Date('2026-01-01T00:00:00Z') } });
    expect(stalled.Ready).toMatchObject({ reason: 'Stalled', message: 'not Ready after 5s: starting' });
  });

  test('assertions: unknown until available, then pass or fail with the failing ones named', () => {
    const failing = { name: 'healthy', kind: 'http', passed: false, message: 'expected status 2xx, got 503' };
    expect(byType({ ...base, assertions: { total: 1, results: [] } }).AssertionsPassed).toMatchObject({ status: 'Unknown', reason: 'NotChecked' });
    const c = byType({ ...base, workload: { ready: true, reason: 'Running', message: 'ok' }, assertions: { total: 1, results: [failing] } });
    expect(c.AssertionsPassed).toMatchObject({ status: 'False', reason: 'AssertionFailed', message: 'healthy: expected status 2xx, got 503' });
    expect(c.Ready).toMatchObject({ status: 'False', reason: 'AssertionFailed' });
    expect(evaluateResource({ ...base, assertions: { total: 2, results: [{ ...failing, passed: true }, failing] } }).assertionsSummary).toBe('1/2');
  });

  test('lastTransitionTime changes only when the status does', () => {
    const first = evaluateResource({ ...base, dependencies: [{ ref: ref('db'), found: true, ready: false }] }).conditions;
    const later = evaluateResource({ ...base, now: new Date('2026-01-01T00:01:00Z'), previous: first, dependencies: [{ ref: ref('db'), found: true, ready: false, message: 'other' }] }).conditions;
    expect(later[0]!.lastTransitionTime).toBe('2026-01-01T00:00:10Z');
    const flipped = evaluateResource({ ...base, now: new Date('2026-01-01T00:02:00Z'), previous: later, workload: { ready: true, reason: 'Running', message: '' } }).conditions;
    expect(flipped[0]!.lastTransitionTime).toBe('2026-01-01T00:02:00Z');
  });
});

describe('composite roll-up', () => {
  test('Ready when every descendant is; otherwise counts and the root blockers', () => {
    const ok = evaluateComposite({ now, descendants: [{ key: 'default/a', ready: true }] });
    expect(ok).toMatchObject({ ready: true, readyCount: 1, totalCount: 1 });
    const waiting = evaluateComposite({
      now,
      descendants: [
        { key: 'default/db', ready: false, message: 'Pod not ready (ImagePullBackOff)' },
        { key: 'default/api', ready: false, blockedByDependencies: true, message: 'waiting for default/db: …' },
        { key: 'default/web', ready: true },
      ],
    });
    expect(waiting.conditions[0]).toMatchObject({ status: 'False', reason: 'Waiting', message: '1/3 Resources Ready; default/db: Pod not ready (ImagePullBackOff)' });
  });
});

describe('env injection', () => {
  test('D_HOST and D_PORT for each dependency; the user env wins', () => {
    const env = injectedEnv([{ name: 'POSTGRES_DB_HOST', value: 'custom' }], [
      { name: 'prometheus', host: 'prometheus.default.svc', port: 9090 },
      { name: 'postgres-db', host: 'postgres-db.default.svc', port: 5432 },
      { name: 'no-ports', host: 'no-ports.default.svc' },
    ]);
    expect(env).toEqual([
      { name: 'NO_PORTS_HOST', value: 'no-ports.default.svc' },
      { name: 'POSTGRES_DB_PORT', value: '5432' },
      { name: 'PROMETHEUS_HOST', value: 'prometheus.default.svc' },
      { name: 'PROMETHEUS_PORT', value: '9090' },
      { name: 'POSTGRES_DB_HOST', value: 'custom' },
    ]);
  });
});
