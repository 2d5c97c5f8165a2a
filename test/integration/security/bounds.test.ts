// Bounds on what a user can make long (issue #18), against the apiserver: the depends-on
// annotation is refused past its bounds by the admission policy shipped with the CRDs (CEL), and
// a Resource that inherits hundreds of dependencies through nested Composites still gets its
// status written, cut to fit the schema, instead of a 422 on every write.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { composite, ensureCrds, getObject, kubectl, kubectlApply, report, resource, testScope, waitFor } from './support.ts';

const scope = testScope();
beforeAll(() => ensureCrds(), 90_000);
afterAll(() => scope.cleanup(), 90_000);

const deps = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`).join(',');

describe('bounded input', () => {
  test('the admission policy refuses a depends-on annotation past its bounds, or with a malformed entry', async () => {
    const n = await scope.ns('bounds-admission');
    const create = (name: string, value: string) =>
      kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(resource(n, name, {}, { annotations: { 'clockwork.dev/depends-on': value } })), allowFailure: true });
    // A policy takes effect a moment after it is created: wait until it answers.
    const tooMany = await waitFor('the policy refuses 65 entries', async () => {
      const r = await create('too-many', deps('dep', 65));
      return r.code !== 0 ? r : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    const tooLong = await create('too-long', `a,${'b'.repeat(8200)}`);
    const malformed = await create('malformed', 'db,Not A Name');
    const fine = await create('fine', `${deps('dep', 63)},composite:other-ns/platform`);
    report(`depends-on with 65 entries: ${tooMany.stderr.trim()}`);
    expect(tooMany.stderr).toContain('may list at most 64 dependencies');
    expect(tooLong.stderr).toContain('at most 8192 characters');
    expect(malformed.stderr).toContain('must be [namespace/]name or composite:[namespace/]name');
    expect(fine.code).toBe(0);
  }, 60_000);

  test('hundreds of dependencies inherited through nested Composites: the status is still written, cut to fit', async () => {
    const n = await scope.ns('bounds-status');
    await scope.operator({ namespace: n });
    // Five nested Composites with 60 (missing) dependencies each: 300 for the Resource inside.
    const composites = Array.from({ length: 5 }, (_, i) => composite(n, `c${i}`, { ...(i > 0 ? { composite: `c${i - 1}` } : {}), annotations: { 'clockwork.dev/depends-on': deps(`missing-${i}`, 60) } }));
    await kubectlApply({ apiVersion: 'v1', kind: 'List', items: [...composites, resource(n, 'deep', {}, { composite: 'c4' })] });
    const status = await waitFor('deep has a status', async () => (await getObject(n, 'cwr', 'deep'))?.status?.conditions ? (await getObject(n, 'cwr', 'deep')).status : undefined, { timeoutMs: 30_000 });
    const deps_ = status.conditions.find((c: any) => c.type === 'DependenciesReady');
    report(`300 inherited dependencies: status written; dependencies listed ${status.dependencies.length}; DependenciesReady ${deps_.status}/${deps_.reason}, message ${deps_.message.length} characters`);
    expect(deps_).toMatchObject({ status: 'False' });
    expect(status.dependencies.length).toBe(256);
    expect(await getObject(n, 'pod', 'deep')).toBeUndefined();
  }, 60_000);
});
