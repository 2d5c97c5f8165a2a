// Attack 3 of issue #18: a Resource named like someone else's Pod, Service or ConfigMap in the
// same namespace (whose author may create Resources there but not Services) must not take them
// over. The operator runs out of cluster. Each foreign object must stay exactly as it was —
// spec, labels, ownerReferences, data, resourceVersion — and the Resource says ChildConflict,
// naming the object; once the object is gone, the Resource gets its own.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ensureCrds, getObject, kubectl, kubectlApply, report, resource, sleep, testScope, waitFor } from './support.ts';

const scope = testScope();
beforeAll(() => ensureCrds(), 90_000);
afterAll(() => scope.cleanup(), 90_000);

const snapshot = (o: any) => o && { uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, labels: o.metadata.labels, ownerReferences: o.metadata.ownerReferences, spec: o.spec ? JSON.stringify({ ...o.spec, ...(o.spec.containers ? { nodeName: undefined } : {}) }) : undefined, data: o.data };

describe('attack 3: a Resource never takes over what it does not own', () => {
  test('a same-named foreign Pod, Service and ConfigMap stay unchanged; the Resource reports ChildConflict naming them', async () => {
    const n = await scope.ns('takeover');
    // Someone else's workload in the namespace (created by an admin, not through Clockwork).
    await kubectlApply({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'payments', namespace: n, labels: { team: 'payments' } }, spec: { selector: { app: 'payments-real' }, ports: [{ name: 'http', port: 8080 }] } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'payments-files', namespace: n, labels: { team: 'payments' } }, data: { 'settings.conf': 'the real one' } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'payments', namespace: n, labels: { app: 'payments-real' } }, spec: { containers: [{ name: 'app', image: 'example/payments:real' }] } },
        // One that even carries Clockwork's labels (so the operator's caches see it), but no ownerReference.
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'billing', namespace: n, labels: { 'app.kubernetes.io/managed-by': 'clockwork', 'clockwork.dev/resource': 'billing' } }, spec: { selector: { app: 'billing-real' }, ports: [{ port: 8080 }] } },
      ],
    });
    await kubectl(['wait', '--for=condition=Ready', 'pod/payments', '--timeout=30s'], { namespace: n });
    const before = {
      service: snapshot(await getObject(n, 'service', 'payments')),
      configMap: snapshot(await getObject(n, 'configmap', 'payments-files')),
      pod: snapshot(await getObject(n, 'pod', 'payments')),
      billing: snapshot(await getObject(n, 'service', 'billing')),
    };
    await scope.operator({ namespace: n });
    // The attacker's Resources: other ports, other files, another image, the same names.
    await kubectlApply({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        resource(n, 'payments', { image: 'example/evil:1', ports: [{ name: 'http', port: 9999 }], files: [{ mountPath: '/etc/settings.conf', content: 'the attacker’s' }] }),
        resource(n, 'billing', { image: 'example/evil:1', ports: [{ port: 9999 }] }),
      ],
    });
    // Until both have a status for their generation, then a while longer for anything the operator would still do.
    await waitFor('the operator reported on both', async () => {
      const [p, b] = [await getObject(n, 'cwr', 'payments'), await getObject(n, 'cwr', 'billing')];
      return p?.status?.observedGeneration === p?.metadata.generation && b?.status?.observedGeneration === b?.metadata.generation && p?.status?.conditions ? true : undefined;
    }, { timeoutMs: 30_000 });
    await sleep(5000);
    const after = {
      service: snapshot(await getObject(n, 'service', 'payments')),
      configMap: snapshot(await getObject(n, 'configmap', 'payments-files')),
      pod: snapshot(await getObject(n, 'pod', 'payments')),
      billing: snapshot(await getObject(n, 'service', 'billing')),
    };
    const ready = async (name: string) => (await getObject(n, 'cwr', name)).status.conditions.find((c: any) => c.type === 'Ready');
    const [payments, billing] = [await ready('payments'), await ready('billing')];
    report(`takeover attempt: payments Ready=${payments.status}/${payments.reason}: ${payments.message}`);
    report(`takeover attempt: billing Ready=${billing.status}/${billing.reason}: ${billing.message}`);
    for (const what of ['service', 'configMap', 'pod', 'billing'] as const)
      report(`takeover attempt: ${what} ${JSON.stringify(after[what]) === JSON.stringify(before[what]) ? 'unchanged' : `CHANGED: ${JSON.stringify(after[what]).slice(0, 300)}`}`);
    expect(after).toEqual(before);
    expect(payments).toMatchObject({ status: 'False', reason: 'ChildConflict' });
    expect(payments.message).toMatch(new RegExp(`(Pod|Service|ConfigMap) ${n}/payments(-files)? exists and is not this Resource's`));
    expect(billing).toMatchObject({ status: 'False', reason: 'ChildConflict' });
    expect(billing.message).toContain(`Service ${n}/billing exists and is not this Resource's (it has no controller)`);
    const stalled = (await getObject(n, 'cwr', 'payments')).status.conditions.find((c: any) => c.type === 'Stalled');
    expect(stalled).toMatchObject({ status: 'True', reason: 'ChildConflict' });
  }, 90_000);

  test('once the foreign object is gone, the Resource gets a child of its own', async () => {
    const n = await scope.ns('takeover-after');
    await kubectlApply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: n }, spec: { selector: { app: 'other' }, ports: [{ port: 80 }] } });
    await scope.operator({ namespace: n });
    await kubectlApply(resource(n, 'web', { ports: [{ port: 8080 }] }));
    await waitFor('ChildConflict', async () => (await getObject(n, 'cwr', 'web'))?.status?.conditions?.find((c: any) => c.type === 'Ready' && c.reason === 'ChildConflict'), { timeoutMs: 30_000 });
    await kubectl(['delete', 'service', 'web'], { namespace: n });
    // The foreign Service sent no event (it is not Clockwork's); the Resource looks again within 30 s.
    const service = await waitFor('a Service of its own', async () => {
      const s = await getObject(n, 'service', 'web');
      return s?.metadata.ownerReferences?.[0]?.name === 'web' ? s : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    expect(service.spec.ports[0].port).toBe(8080);
    expect((await getObject(n, 'cwr', 'web')).status.conditions.find((c: any) => c.type === 'Ready').reason).not.toBe('ChildConflict');
  }, 120_000);
});
