import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const deploy = join(import.meta.dirname, '..', '..', 'deploy');
const docs = (file: string) => parseAllDocuments(readFileSync(join(deploy, file), 'utf8')).map((d) => d.toJS());
type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };

describe('install manifests: least privilege', () => {
  const clusterRules: Rule[] = docs('cluster/cluster-role.yaml')[0].rules;
  const roleRules: Rule[] = docs('namespaced/role.yaml')[0].rules;
  const leaderRules: Rule[] = docs('base/leader-election-role.yaml')[0].rules;

  test('no wildcards, no Secrets, no escalate, bind or impersonate', () => {
    for (const rule of [...clusterRules, ...roleRules, ...leaderRules]) {
      expect(rule.apiGroups).not.toContain('*');
      expect(rule.resources).not.toContain('*');
      expect(rule.verbs).not.toContain('*');
      expect(rule.resources).not.toContain('secrets');
      for (const verb of ['escalate', 'bind', 'impersonate']) expect(rule.verbs).not.toContain(verb);
    }
  });

  test('the tenant Role grants exactly what the ClusterRole does, but for cluster-scoped kinds (a Role cannot)', () => {
    expect(roleRules).toEqual(clusterRules.filter((r) => !r.resources.includes('namespaces')));
  });

  test('leases only in the operator namespace, get and update by name (test/unit/rbac-derived.test.ts checks the verbs)', () => {
    expect(docs('base/leader-election-role.yaml')[0].metadata.namespace).toBe('clockwork-system');
    for (const rule of leaderRules) expect(rule.resources).toEqual(['leases']);
  });

  test('the Deployment: 2 replicas, restricted security context, probes, requests and limits', () => {
    const [deployment] = docs('base/deployment.yaml');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(deployment.spec.replicas).toBe(2);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits).toBeDefined();
    // The image's entry point is the operator itself (operator/src/main.ts): no command word.
    expect(container.args).toEqual(expect.arrayContaining(['--leader-elect']));
    expect(container.args).not.toContain('operator');
  });

  test("requests and limits cover the benchmark's measured peaks (bench/results/latest.json), quoted beside them", () => {
    const bench = JSON.parse(readFileSync(join(deploy, '..', 'bench', 'results', 'latest.json'), 'utf8'));
    const text = readFileSync(join(deploy, 'base', 'deployment.yaml'), 'utf8');
    const { resources } = docs('base/deployment.yaml')[0].spec.template.spec.containers[0];
    const mebibytes = (q: string) => Number(/^(\d+)(Mi|Gi)$/.exec(q)![1]) * (q.endsWith('Gi') ? 1024 : 1);
    const cores = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));
    const cpuCores = bench.scale.cpuSeconds / bench.scale.readySeconds;
    expect(mebibytes(resources.requests.memory)).toBeGreaterThanOrEqual(bench.scale.peakRssMiB);
    expect(mebibytes(resources.limits.memory)).toBeGreaterThanOrEqual(bench.memory.peakRssMiB * 1.1);
    expect(cores(resources.requests.cpu)).toBeGreaterThanOrEqual(cpuCores);
    // The figures the values come from are written beside them.
    expect(text).toContain(`${bench.scale.peakRssMiB} MiB`);
    expect(text).toContain(`${bench.memory.peakRssMiB} MiB`);
    expect(text).toContain(`${bench.scale.cpuSeconds} s`);
  });
});
