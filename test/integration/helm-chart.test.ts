// The Helm chart (deploy/helm/clockwork) against the kustomize install (deploy/), with the real
// tools: Helm 4 built from its Go module (test/tools) and kubectl's kustomize. With its defaults
// the chart renders the same objects as `kubectl kustomize deploy/` (labels aside), and with
// rbac.scope=namespace those of deploy/namespaced/, so the two installs cannot drift apart.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { goTool, kubectl, repoRoot, run } from '../harness/index.ts';

const CHART = join(repoRoot, 'deploy/helm/clockwork');
let helm = '';

beforeAll(async () => {
  helm = await goTool('helm');
}, 3_600_000);

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: unknown };

/** Cluster-scoped kinds kustomize's namespace transformer does not know (the API server ignores the namespace it adds). */
const CLUSTER_SCOPED = new Set(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
const parse = (text: string): K8sObject[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject)
    .filter((o) => o !== null)
    .map((o) => (CLUSTER_SCOPED.has(o.kind) ? { ...o, metadata: (({ namespace: _n, ...m }) => m)(o.metadata) } : o));
const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
/** The objects without their labels (each install labels its objects its own way), in a stable order. */
const modLabels = (objects: K8sObject[]) =>
  objects
    .map(({ metadata: { labels: _labels, ...metadata }, ...rest }) => ({ ...rest, metadata }))
    .sort((a, b) => key(a as K8sObject).localeCompare(key(b as K8sObject)));

async function template(namespace: string, args: string[] = []): Promise<K8sObject[]> {
  return parse((await run(helm, ['template', 'clockwork', CHART, '--namespace', namespace, ...args])).stdout);
}
const kustomize = async (dir: string) => parse((await kubectl(['kustomize', join(repoRoot, dir)])).stdout);
const deploymentOf = (objects: K8sObject[]) => objects.find((o) => o.kind === 'Deployment') as any;

describe('the Helm chart', () => {
  test('helm lint --strict passes in both RBAC scopes', async () => {
    for (const scope of ['cluster', 'namespace']) {
      const r = await run(helm, ['lint', CHART, '--strict', '--set', `rbac.scope=${scope}`]);
      expect(r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    }
  });

  test('cluster scope renders what kubectl kustomize deploy/ does: CRDs, namespace, RBAC, Deployment, metrics Service', async () => {
    const chart = await template('clockwork-system', ['--include-crds', '--set', 'namespace.create=true']);
    const kust = await kustomize('deploy');
    expect(chart.map(key).sort()).toEqual(kust.map(key).sort());
    expect(chart.map(key).sort()).toEqual([
      'ClusterRole//clockwork-operator',
      'ClusterRoleBinding//clockwork-operator',
      'CustomResourceDefinition//clockworkcomposites.clockwork.dev',
      'CustomResourceDefinition//clockworkresources.clockwork.dev',
      'Deployment/clockwork-system/clockwork-operator',
      'Namespace//clockwork-system',
      'Role/clockwork-system/clockwork-leader-election',
      'RoleBinding/clockwork-system/clockwork-leader-election',
      'Service/clockwork-system/clockwork-operator-metrics',
      'ServiceAccount/clockwork-system/clockwork-operator',
      'ValidatingAdmissionPolicy//clockwork.dev-depends-on',
      'ValidatingAdmissionPolicyBinding//clockwork.dev-depends-on',
    ]);
    expect(modLabels(chart)).toEqual(modLabels(kust));
    // Labels differ only by what Helm adds: the kustomize install's are all there (but on the
    // CRDs and their admission policy, which Helm installs from crds/ as they are).
    for (const object of kust.filter((o) => !['CustomResourceDefinition', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'].includes(o.kind)))
      expect(chart.find((c) => key(c) === key(object))!.metadata.labels ?? {}).toMatchObject(object.metadata.labels ?? {});
  });

  test('namespace scope renders what kubectl kustomize deploy/namespaced/ does: a Role, the operator watching its namespace', async () => {
    const chart = await template('clockwork-tenant', ['--set', 'rbac.scope=namespace']);
    const kust = await kustomize('deploy/namespaced');
    expect(modLabels(chart)).toEqual(modLabels(kust));
    expect(chart.map((o) => o.kind)).not.toContain('ClusterRole');
    expect(deploymentOf(chart).spec.template.spec.containers[0].args).toContain('--namespace=clockwork-tenant');
  });

  test('operator flags, replicas, resources and leader election are values', async () => {
    const objects = await template('ops', [
      '--set', 'replicas=3',
      '--set', 'operator.workers=8',
      '--set', 'operator.logLevel=debug',
      '--set', 'operator.allowAssertionUrls={db.example.com,*.internal.example.com,10.20.0.0/16}',
      '--set', 'operator.clusterCidrs={10.244.0.0/16,10.96.0.0/12}',
      '--set', 'operator.terminationGracePeriodSeconds=0',
      '--set', 'operator.manageSystemNamespaces=true',
      '--set', 'resources.limits.memory=512Mi',
      '--set', 'image.repository=registry.example.com/clockwork/operator,image.tag=0.2.0',
    ]);
    const deployment = deploymentOf(objects);
    const container = deployment.spec.template.spec.containers[0];
    expect(deployment.spec.replicas).toBe(3);
    expect(container.image).toBe('registry.example.com/clockwork/operator:0.2.0');
    expect(container.resources.limits.memory).toBe('512Mi');
    expect(container.args).toEqual([
      '--leader-elect',
      '--lease-namespace=ops',
      '--metrics-port=8080',
      '--workers=8',
      '--log-level=debug',
      '--allow-assertion-urls=db.example.com,*.internal.example.com,10.20.0.0/16',
      '--cluster-cidrs=10.244.0.0/16,10.96.0.0/12',
      '--manage-system-namespaces',
      '--termination-grace-period=0',
    ]);
    const single = deploymentOf(await template('ops', ['--set', 'leaderElection.enabled=false,replicas=1']));
    expect(single.spec.template.spec.containers[0].args).toEqual(['--no-leader-elect', '--metrics-port=8080']);
    expect((await template('ops', ['--set', 'leaderElection.enabled=false'])).map((o) => o.metadata.name)).not.toContain('clockwork-leader-election');
  });

  test('every flag a value sets is one the operator knows (its --help)', async () => {
    const help = (await run(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), 'operator', '--help'])).stdout;
    const all = deploymentOf(await template('ops', ['--set', 'operator.workers=2,operator.logLevel=warn,operator.clusterDomain=example.internal,operator.terminationGracePeriodSeconds=5', '--set', 'operator.allowAssertionUrls={a.example.com}', '--set', 'operator.clusterCidrs={10.0.0.0/8}', '--set', 'operator.manageSystemNamespaces=true', '--set', 'rbac.scope=namespace']));
    const flags = all.spec.template.spec.containers[0].args.filter((a: string) => a.startsWith('--')).map((a: string) => a.split('=')[0]);
    expect(flags.length).toBeGreaterThanOrEqual(10);
    for (const flag of flags) expect(`${flag}: ${help.includes(`${flag} `) || help.includes(`${flag}\n`)}`).toBe(`${flag}: true`);
  });

  test('an optional ServiceMonitor scrapes the metrics Service', async () => {
    expect((await template('monitoring')).map((o) => o.kind)).not.toContain('ServiceMonitor');
    const objects = await template('monitoring', ['--set', 'serviceMonitor.enabled=true,serviceMonitor.interval=15s,serviceMonitor.labels.release=prometheus']);
    const monitor = objects.find((o) => o.kind === 'ServiceMonitor') as any;
    const service = objects.find((o) => o.kind === 'Service') as any;
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.labels.release).toBe('prometheus');
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['monitoring'] });
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '15s' }]);
    expect(service.spec.ports[0].name).toBe('metrics');
  });

  test('bad values are refused with the field named', async () => {
    const typo = await run(helm, ['template', 'c', CHART, '--set', 'rbac.scop=namespace'], { allowFailure: true });
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain("at '/rbac': additional properties 'scop' not allowed");
    const scope = await run(helm, ['template', 'c', CHART, '--set', 'rbac.scope=everything'], { allowFailure: true });
    expect(scope.stderr).toMatch(/\/rbac\/scope/);
  });
});
