// The operator runs on exactly the RBAC that deploy/ installs (issue #18): a ServiceAccount
// bound to deploy/cluster/cluster-role.yaml and deploy/base/leader-election-role.yaml, its token
// in the operator's kubeconfig, and every code path that calls the API exercised (children
// created, replaced and repaired, files updated, logs read, Events, status, a Composite adopted
// and torn down, the Lease taken and renewed) with no request refused. test/unit/rbac-derived
// shows the rules grant nothing more. The system namespaces are refused unless configured.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../../harness/index.ts';
import { clusterInfo, composite, ensureCrds, getObject, kubectl, kubectlApply, kubectlJson, report, resource, testScope, waitCondition, waitFor, waitReady, type Operator } from './support.ts';

const scope = testScope();
const tag = `rbac-${process.pid}`;
const manifests = (file: string) => parseAllDocuments(readFileSync(join(repoRoot, 'deploy', file), 'utf8')).map((d) => d.toJS());
let operatorNs = '';
let kubeconfig = '';
let op: Operator;

beforeAll(async () => {
  await ensureCrds();
  operatorNs = await scope.ns('operator-sa');
  await kubectl(['create', 'serviceaccount', 'clockwork-operator'], { namespace: operatorNs });
  // The ClusterRole as shipped, under a name of this test's own.
  const [clusterRole] = manifests('cluster/cluster-role.yaml');
  await kubectlApply({ ...clusterRole, metadata: { name: tag } });
  await kubectl(['create', 'clusterrolebinding', tag, `--clusterrole=${tag}`, `--serviceaccount=${operatorNs}:clockwork-operator`]);
  const [leaseRole, leaseBinding] = manifests('base/leader-election-role.yaml');
  await kubectlApply({ ...leaseRole, metadata: { ...leaseRole.metadata, namespace: operatorNs } });
  await kubectlApply({ ...leaseBinding, metadata: { ...leaseBinding.metadata, namespace: operatorNs }, subjects: [{ ...leaseBinding.subjects[0], namespace: operatorNs }] });
  const token = (await kubectl(['create', 'token', 'clockwork-operator', '--duration=2h'], { namespace: operatorNs })).stdout.trim();
  const admin = JSON.parse((await kubectl(['config', 'view', '--raw', '--minify', '-o', 'json'])).stdout);
  kubeconfig = join(clusterInfo().stateDir, `${tag}.kubeconfig`);
  writeFileSync(kubeconfig, JSON.stringify({ ...admin, users: [{ name: 'sa', user: { token } }], contexts: [{ name: 'sa', context: { cluster: admin.clusters[0].name, user: 'sa' } }], 'current-context': 'sa' }));
  // Every namespace, with leader election, as deploy/ runs it.
  op = await scope.operator({ kubeconfig, leaseNamespace: operatorNs });
}, 120_000);

afterAll(async () => {
  await scope.cleanup();
  await kubectl(['delete', 'clusterrolebinding,clusterrole', tag, '--ignore-not-found'], { allowFailure: true });
  await kubectl(['delete', 'cwr', 'refused', '-n', 'kube-system', '--ignore-not-found'], { allowFailure: true });
  await kubectl(['delete', 'cwr', 'allowed', '-n', 'kube-public', '--ignore-not-found', '--wait=false'], { allowFailure: true });
}, 120_000);

describe('the operator on the shipped RBAC', () => {
  test('every API path works with exactly the shipped rules; nothing is refused', async () => {
    const n = await scope.ns('rbac');
    // A Composite whose children are adopted (no ownerReference yet): patch + finalizers.
    await kubectlApply({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        composite(n, 'app'),
        resource(n, 'db', { files: [{ mountPath: '/etc/db.conf', content: 'v1' }] }, { composite: 'app' }),
        resource(n, 'web', { dependsOn: ['db'], assertions: [{ name: 'log', logContains: { text: 'started' } }] }, { composite: 'app' }),
      ],
    });
    await waitReady(n, 'cwr', 'db', 60_000);
    await waitFor('web has checked its log assertion', async () => (await getObject(n, 'cwr', 'web'))?.status?.assertions?.[0]?.lastCheckedTime, { timeoutMs: 60_000 });
    expect((await kubectlJson(['get', 'lease', 'clockwork-operator'], { namespace: operatorNs })).spec.holderIdentity).toBeTruthy();
    // Files changed: the ConfigMap is replaced in place. A Service deleted behind its back: recreated.
    await kubectl(['patch', 'cwr', 'db', '--type=merge', '-p', JSON.stringify({ spec: { files: [{ mountPath: '/etc/db.conf', content: 'v2' }] } })], { namespace: n });
    await kubectl(['delete', 'service', 'db'], { namespace: n });
    await waitFor('db repaired with the new files', async () => (await getObject(n, 'configmap', 'db-files'))?.data?.['0-db.conf'] === 'v2' && (await getObject(n, 'service', 'db')) !== undefined, { timeoutMs: 60_000 });
    // A changed spec replaces the Pod (delete, create); changed ports replace the Service (update).
    const oldPod = (await getObject(n, 'pod', 'web')).metadata.uid;
    await kubectl(['patch', 'cwr', 'web', '--type=merge', '-p', JSON.stringify({ spec: { args: ['--v2'], ports: [{ name: 'http', port: 8081 }] } })], { namespace: n });
    await waitFor('web replaced', async () => {
      const [pod, svc] = await Promise.all([getObject(n, 'pod', 'web'), getObject(n, 'service', 'web')]);
      return pod && pod.metadata.uid !== oldPod && svc?.spec.ports[0].port === 8081;
    }, { timeoutMs: 60_000 });
    // Teardown: the Composite deletes its children in reverse order, then lets go.
    await kubectl(['delete', 'cwc', 'app', '--wait=true', '--timeout=60s'], { namespace: n, timeoutMs: 90_000 });
    expect((await kubectlJson(['get', 'cwr'], { namespace: n })).items).toEqual([]);
    const events = (await kubectlJson(['get', 'events'], { namespace: n })).items.map((e: any) => e.reason);
    const refused = op.logs().filter((l) => /forbidden|cannot (get|list|watch|create|update|patch|delete)/i.test(l));
    const web = op.entries().find((e) => e.message === 'reconcile failed' && e.level !== 'debug');
    report(`shipped RBAC: Events ${[...new Set(events)].sort().join(', ')}; requests refused: ${refused.length}; reconcile failures: ${web ? JSON.stringify(web).slice(0, 300) : 'none'}`);
    expect(refused).toEqual([]);
    // The operator's own Events (a clean rollout records none per Resource): the replacement and the teardown.
    expect(events).toEqual(expect.arrayContaining(['Replaced', 'TearingDown']));
  }, 240_000);

  test('kube-system, kube-public and kube-node-lease are refused unless the installer allows them', async () => {
    await kubectlApply(resource('kube-system', 'refused'));
    const c = await waitCondition('kube-system', 'cwr', 'refused', { status: 'False', reason: 'NamespaceNotManaged' }, 30_000);
    report(`a Resource in kube-system: ${c.reason}: ${c.message}`);
    expect(c.message).toContain('--manage-system-namespaces');
    expect(await getObject('kube-system', 'pod', 'refused')).toBeUndefined();
    expect(await getObject('kube-system', 'service', 'refused')).toBeUndefined();
    // Allowed by the flag (here for kube-public only, with the admin's credentials); the
    // operator above stops first, so that only one reconciles kube-public.
    await op.stop();
    await scope.operator({ namespace: 'kube-public', extraArgs: ['--manage-system-namespaces'] });
    await kubectlApply(resource('kube-public', 'allowed'));
    await waitReady('kube-public', 'cwr', 'allowed', 30_000);
    expect((await getObject('kube-public', 'pod', 'allowed')).metadata.ownerReferences[0].name).toBe('allowed');
  }, 120_000);
});

