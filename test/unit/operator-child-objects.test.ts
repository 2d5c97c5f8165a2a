import { describe, expect, test } from '@jest/globals';
import type { ResourceObject } from '../../sdk/src/api/index.ts';
import { desiredWorkload } from '../../sdk/src/engine/index.ts';
import { buildConfigMap, buildPod, buildService, configMapName, fileMounts, serviceMatches } from '../../operator/src/child-objects.ts';

const resource: ResourceObject = {
  apiVersion: 'clockwork.dev/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'prometheus',
    namespace: 'obs',
    uid: 'uid-1',
    labels: { team: 'sre', 'clockwork.dev/composite': 'monitoring' },
    annotations: { 'pod-ready.stage.kwok.x-k8s.io/delay': '2s', 'clockwork.dev/depends-on': 'db', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  },
  spec: {
    image: 'prom/prometheus:v2.53.4',
    args: ['--config.file=/etc/prometheus/prometheus.yml'],
    ports: [{ name: 'http', port: 9090, hostPort: 9090 }, { port: 9091, protocol: 'UDP' }],
    env: [{ name: 'DB_HOST', value: 'mine' }, { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
    files: [{ mountPath: '/etc/prometheus/prometheus.yml', content: 'global: {}\n' }, { mountPath: '/etc/x/rules yml', content: 'r' }],
    readiness: { httpGet: { path: '/-/ready', port: 'http' }, periodSeconds: 2 },
    resources: { requests: { cpu: '100m', memory: '128Mi' } },
  },
};
const dependencies = [{ name: 'db', host: 'db.obs.svc.cluster.local', port: 5432 }];
const workload = desiredWorkload(resource, { dependencies });

describe('Pod from a Workload', () => {
  const pod = buildPod(workload);
  const container = pod.spec!.containers[0]!;

  test('named after the Resource, owned by it, labelled for the informers', () => {
    expect(pod.metadata).toMatchObject({ name: 'prometheus', namespace: 'obs' });
    expect(pod.metadata!.ownerReferences).toEqual([{ apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', name: 'prometheus', uid: 'uid-1', controller: true, blockOwnerDeletion: true }]);
    expect(pod.metadata!.labels).toMatchObject({
      team: 'sre',
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/instance': 'prometheus',
      'app.kubernetes.io/part-of': 'monitoring',
      'app.kubernetes.io/managed-by': 'clockwork',
      'clockwork.dev/resource': 'prometheus',
    });
    expect(pod.metadata!.labels!['clockwork.dev/composite']).toBeUndefined();
  });

  test("copies the Resource's own annotations (not clockwork.dev/* or kubectl's) and stores the spec and files hashes", () => {
    expect(pod.metadata!.annotations).toEqual({ 'pod-ready.stage.kwok.x-k8s.io/delay': '2s', 'clockwork.dev/spec-hash': workload.hash, 'clockwork.dev/files-hash': workload.filesHash });
  });

  test('injected env first, the user env wins on a clash, valueFrom kept', () => {
    expect(container.env).toEqual([
      { name: 'DB_PORT', value: '5432' },
      { name: 'DB_HOST', value: 'mine' },
      { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    ]);
  });

  test('restricted security context without forcing runAsNonRoot', () => {
    expect(pod.spec!.automountServiceAccountToken).toBe(false);
    expect(pod.spec!.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(JSON.stringify(pod)).not.toContain('runAsNonRoot');
  });

  test("the Resource's user and group: a non-root user also sets runAsNonRoot; root is allowed when asked for", () => {
    const runAs = (securityContext: ResourceObject['spec']['securityContext']) => {
      const r = { ...resource, spec: { ...resource.spec, securityContext } };
      return buildPod(desiredWorkload(r)).spec!.containers[0]!.securityContext;
    };
    expect(runAs({ runAsUser: 999, runAsGroup: 999 })).toEqual({ allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] }, runAsUser: 999, runAsGroup: 999, runAsNonRoot: true });
    expect(runAs({ runAsUser: 0 })).toEqual({ allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] }, runAsUser: 0 });
    // Another user is another workload: the Pod is replaced.
    const other = { ...resource, spec: { ...resource.spec, securityContext: { runAsUser: 1000 } } };
    expect(desiredWorkload(other).hash).not.toBe(desiredWorkload(resource).hash);
  });

  test('legacy AppArmor/seccomp annotations of the Resource never reach the Pod (the apiserver would make them Unconfined profiles)', () => {
    const annotations = {
      'container.apparmor.security.beta.kubernetes.io/main': 'unconfined',
      'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
      'container.seccomp.security.alpha.kubernetes.io/main': 'unconfined',
      'example.com/note': 'kept',
    };
    const r: ResourceObject = { ...resource, metadata: { ...resource.metadata, annotations } };
    const p = buildPod(desiredWorkload(r));
    expect(Object.keys(p.metadata!.annotations!).sort()).toEqual(['clockwork.dev/files-hash', 'clockwork.dev/spec-hash', 'example.com/note'].sort());
  });

  test('image, args, ports, probe, resources, IfNotPresent', () => {
    expect(container).toMatchObject({ image: 'prom/prometheus:v2.53.4', imagePullPolicy: 'IfNotPresent', args: ['--config.file=/etc/prometheus/prometheus.yml'] });
    expect(container.ports).toEqual([{ containerPort: 9090, protocol: 'TCP', name: 'http' }, { containerPort: 9091, protocol: 'UDP' }]);
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/-/ready', port: 'http' }, periodSeconds: 2 });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' } });
  });

  test('files: one ConfigMap; each directory mounted whole (never subPath) so the kubelet updates the files in place', () => {
    const cm = buildConfigMap(workload)!;
    expect(cm.metadata!.name).toBe(configMapName('prometheus'));
    expect(cm.data).toEqual({ '0-prometheus.yml': 'global: {}\n', '1-rules_yml': 'r' });
    expect(JSON.stringify(pod)).not.toContain('subPath');
    expect(pod.spec!.volumes).toEqual([
      { name: 'files-0', configMap: { name: 'prometheus-files', items: [{ key: '0-prometheus.yml', path: 'prometheus.yml' }] } },
      { name: 'files-1', configMap: { name: 'prometheus-files', items: [{ key: '1-rules_yml', path: 'rules yml' }] } },
    ]);
    expect(container.volumeMounts).toEqual([
      { name: 'files-0', mountPath: '/etc/prometheus', readOnly: true },
      { name: 'files-1', mountPath: '/etc/x', readOnly: true },
    ]);
    expect(pod.metadata!.annotations!['clockwork.dev/files-hash']).toBe(workload.filesHash);
  });

  test('files in nested directories share the outer directory\'s volume; a file under / falls back to subPath', () => {
    const { volumes, mounts } = fileMounts({
      name: 'app',
      files: [
        { mountPath: '/etc/app/sub/b.conf', content: 'b' },
        { mountPath: '/etc/app/a.conf', content: 'a' },
        { mountPath: '/etc/application/c.conf', content: 'c' },
        { mountPath: '/top.txt', content: 't' },
      ],
    });
    expect(mounts).toEqual([
      { name: 'files-0', mountPath: '/etc/app', readOnly: true },
      { name: 'files-1', mountPath: '/etc/application', readOnly: true },
      { name: 'files', mountPath: '/top.txt', subPath: '3-top.txt', readOnly: true },
    ]);
    expect(volumes[0]).toEqual({ name: 'files-0', configMap: { name: 'app-files', items: [{ key: '0-b.conf', path: 'sub/b.conf' }, { key: '1-a.conf', path: 'a.conf' }] } });
  });

  test("the spec hash ignores the files' content (an in-place update), not their paths (a new mount)", () => {
    const edited = desiredWorkload({ ...resource, spec: { ...resource.spec, files: [{ mountPath: '/etc/prometheus/prometheus.yml', content: 'global: {scrape_interval: 5s}\n' }, resource.spec.files![1]!] } }, { dependencies });
    expect(edited.hash).toBe(workload.hash);
    expect(edited.filesHash).not.toBe(workload.filesHash);
    const moved = desiredWorkload({ ...resource, spec: { ...resource.spec, files: [{ mountPath: '/etc/prometheus/other.yml', content: 'global: {}\n' }, resource.spec.files![1]!] } }, { dependencies });
    expect(moved.hash).not.toBe(workload.hash);
  });

  test('a file directly in a top-level directory is mounted alone (mounting /etc whole would hide the image\'s): a change of it replaces the Pod', () => {
    const alone = (content: string) => desiredWorkload({ ...resource, spec: { ...resource.spec, files: [{ mountPath: '/etc/app.conf', content }] } }, { dependencies });
    expect(buildPod(alone('a')).spec!.containers[0]!.volumeMounts).toEqual([{ name: 'files', mountPath: '/etc/app.conf', subPath: '0-app.conf', readOnly: true }]);
    expect(alone('b').hash).not.toBe(alone('a').hash);
    expect(alone('b').filesHash).toBe(alone('a').filesHash);
  });

  test('no files, no ports: no ConfigMap, no Service, no volumes', () => {
    const bare = { ...resource, spec: { image: 'busybox' } };
    const w = desiredWorkload(bare);
    expect(buildConfigMap(w)).toBeUndefined();
    expect(buildService(w)).toBeUndefined();
    expect(buildPod(w).spec!.volumes).toBeUndefined();
  });
});

describe('Service', () => {
  const svc = buildService(workload)!;

  test('ClusterIP over every port, selecting only this Pod', () => {
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/managed-by': 'clockwork', 'clockwork.dev/resource': 'prometheus' },
      ports: [
        { name: 'http', port: 9090, targetPort: 9090, protocol: 'TCP' },
        { name: 'port-9091', port: 9091, targetPort: 9091, protocol: 'UDP' },
      ],
    });
  });

  test('drift: an edited port or an extra selector key no longer matches; server defaults do', () => {
    const live = { ...svc, spec: { ...svc.spec, clusterIP: '10.0.0.1', sessionAffinity: 'None' } };
    expect(serviceMatches(live, svc)).toBe(true);
    expect(serviceMatches({ ...svc, spec: { ...svc.spec, ports: [{ ...svc.spec!.ports![0]!, port: 1 }, svc.spec!.ports![1]!] } }, svc)).toBe(false);
    expect(serviceMatches({ ...svc, spec: { ...svc.spec, selector: { ...svc.spec!.selector, app: 'x' } } }, svc)).toBe(false);
  });
});
