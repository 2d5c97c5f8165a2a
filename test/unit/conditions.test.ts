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

  test('the message names the direct dependencies only, so a change upstream does not rewrite it', () => {
    const waiting = (apiMessage: string, cacheMessage: string) =>
      byType({
        ...base,
        dependencies: [
          { ref: ref('api'), found: true, ready: false, blockedByDependencies: true, message: apiMessage },
          { ref: ref('cache'), found: true, ready: false, message: cacheMessage },
        ],
      });
    const c = waiting('waiting for default/postgres-db', 'Pod not ready (Starting)');
    expect(c.Ready).toMatchObject({ status: 'False', reason: 'WaitingForDependencies', message: 'waiting for default/api; waiting for default/cache' });
    expect(c.Available).toMatchObject({ status: 'False', reason: 'WaitingForDependencies' });
    // The dependencies moved on (Pending → Starting → CrashLoopBackOff …): the same conditions.
    expect(waiting('waiting for default/postgres-db', 'Pod not ready (CrashLoopBackOff)')).toEqual(c);
  });

  test('distinct reasons: not found, cycle, invalid reference, failing workload, stalled', () => {
    expect(byType({ ...base, dependencies: [{ ref: ref('ghost'), found: false, ready: false }] }).Ready).toMatchObject({ reason: 'DependencyNotFound', message: 'waiting for default/ghost: not found' });
    expect(byType({ ...base, cycle: ['default/a', 'default/b', 'default/a'] }).Ready).toMatchObject({ reason: 'DependencyCycle', message: 'dependency cycle: default/a → default/b → default/a' });
    expect(byType({ ...base, dependencyErrors: ['invalid dependency "A B"'] }).Ready!.reason).toBe('InvalidDependency');
    expect(byType({ ...base, workload: { ready: false, reason: 'CrashLoopBackOff', message: 'back-off restarting', failed: true } }).Ready).toMatchObject({ reason: 'CrashLoopBackOff' });
    const stalled = byType({ ...base, timeouts: { readySeconds: 5 }, workload: { ready: false, reason: 'Starting', message: 'starting', since: new Date('2026-01-01T00:00:00Z') } });
    expect(stalled.Ready).toMatchObject({ reason: 'Stalled', message: 'not Ready after 5s: starting' });
  });

  test('Stalled (abnormal-true) is present only while waiting cannot help, with the blocking reason', () => {
    const stalledOf = (facts: ResourceFacts) => byType(facts).Stalled;
    expect(stalledOf({ ...base, dependencies: [{ ref: ref('db'), found: true, ready: false }] })).toBeUndefined();
    const crashLoop = { ready: false, reason: 'CrashLoopBackOff', message: 'back-off restarting', failed: true, since: new Date('2026-01-01T00:00:00Z') };
    expect(stalledOf({ ...base, workload: crashLoop })).toBeUndefined();
    expect(stalledOf({ ...base, workload: crashLoop, timeouts: { readySeconds: 60 } })).toBeUndefined();
    expect(stalledOf({ ...base, workload: crashLoop, timeouts: { readySeconds: 5 } })).toMatchObject({ status: 'True', reason: 'CrashLoopBackOff' });
    expect(stalledOf({ ...base, dependencies: [{ ref: ref('ghost'), found: false, ready: false }] })).toBeUndefined();
    expect(stalledOf({ ...base, workload: { ready: true, reason: 'Running', message: 'ok' } })).toBeUndefined();
    expect(stalledOf({ ...base, cycle: ['default/a', 'default/b', 'default/a'] })).toMatchObject({ status: 'True', reason: 'DependencyCycle' });
    expect(stalledOf({ ...base, dependencyErrors: ['invalid dependency "A B"'] })).toMatchObject({ status: 'True', reason: 'InvalidDependency' });
    expect(stalledOf({ ...base, workload: { ready: false, reason: 'Failed', message: 'exited 1', failed: true, terminal: true } })).toMatchObject({ status: 'True', reason: 'Failed', message: 'exited 1' });
    const timedOut = { ...base, timeouts: { readySeconds: 5 }, workload: { ready: false, reason: 'Starting', message: 'starting', since: new Date('2026-01-01T00:00:00Z') } };
    expect(stalledOf(timedOut)).toMatchObject({ status: 'True', reason: 'Stalled', message: 'not Ready after 5s: starting' });
  });

  test('waiting for a Stalled dependency is terminal too: DependencyFailed, naming the root', () => {
    const c = byType({ ...base, dependencies: [{ ref: ref('db'), found: true, ready: false, stalled: true, message: 'not Ready after 5s: starting' }, { ref: ref('cache'), found: true, ready: false, message: 'Pod not ready (Starting)' }] });
    expect(c.Ready).toMatchObject({ status: 'False', reason: 'DependencyFailed', message: 'waiting for default/db: not Ready after 5s: starting' });
    expect(c.Stalled).toMatchObject({ status: 'True', reason: 'DependencyFailed' });
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
    expect(waiting.conditions.map((c) => c.type)).toEqual(['Ready']);
  });

  test('a Stalled descendant stalls the Composite, and is named first', () => {
    const stalled = evaluateComposite({
      now,
      descendants: [
        { key: 'default/api', ready: false, message: 'Pod not ready (Starting)' },
        { key: 'default/db', ready: false, stalled: true, message: 'not Ready after 5s: starting' },
      ],
    });
    expect(stalled.conditions).toMatchObject([
      { type: 'Ready', status: 'False', reason: 'Stalled', message: '0/2 Resources Ready; default/db: not Ready after 5s: starting' },
      { type: 'Stalled', status: 'True', reason: 'ResourceStalled', message: '0/2 Resources Ready; default/db: not Ready after 5s: starting' },
    ]);
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
