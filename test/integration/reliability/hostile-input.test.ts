// Objects the apiserver accepts but that make no sense, objects that try to reach the host,
// and what a cross-namespace dependency reveals. Each test runs its own operator (no leader
// election): over its namespace only, so that its reconcile count is its own, except the
// cross-namespace test, whose operator watches every namespace.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  conditionOf,
  ensureCrds,
  getObject,
  kubectl,
  report,
  resource,
  composite,
  sleep,
  testScope,
  waitFor,
  waitReady,
} from './support.ts';

const scope = testScope();
const ns = scope.ns;
const input = (objects: object[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });

beforeAll(async () => {
  await ensureCrds();
}, 90_000);

afterAll(async () => {
  await scope.cleanup();
}, 90_000);

describe('hostile and malformed input', () => {
  test('nonsense the apiserver accepts gets a condition; no crash, no hot loop (reconciles and status writes bounded over 10 s)', async () => {
    const n = await ns('nonsense');
    const op = await scope.operator({ namespace: n });
    const hugeEnv = Array.from({ length: 200 }, (_, i) => ({ name: `BIG_${i}`, value: 'x'.repeat(4000) }));
    const unicode = 'Grüße, 世界 — ✓ 🚀 ﷽ \u200b';
    // Self-dependency through a composite; a dependency in a namespace that does not exist;
    // a direct self-dependency (if the schema lets it through); ~800 kB of env; unicode values.
    const objects = [
      composite(n, 'loop'),
      resource(n, 'in-loop', {}, { composite: 'loop', annotations: { 'clockwork.dev/depends-on': 'composite:loop' } }),
      resource(n, 'elsewhere', {}, { annotations: { 'clockwork.dev/depends-on': 'no-such-namespace-zz/db' } }),
      resource(n, 'huge-env', { env: hugeEnv }),
      // Valid for the CRD (32 files of up to 256 kB) but more than a ConfigMap can hold (1 MiB).
      resource(n, 'huge-files', { files: Array.from({ length: 5 }, (_, i) => ({ mountPath: `/etc/big/${i}`, content: String(i).repeat(250_000) })) }),
      resource(n, 'unicode', { description: unicode, env: [{ name: 'GREETING', value: unicode }], files: [{ mountPath: '/etc/greeting.txt', content: unicode }] }, { annotations: { 'example.com/note': unicode } }),
    ];
    // kubectl create: a client-side apply would add a last-applied annotation larger than 256 kB.
    await kubectl(['create', '-f', '-'], { input: input(objects) });
    const self = await kubectl(['create', '-f', '-'], { input: input([resource(n, 'self', { dependsOn: ['self'] })]), allowFailure: true });
    // A port name that no port has.
    const ghost = await kubectl(['create', '-f', '-'], { input: input([resource(n, 'ghost-port', { readiness: { httpGet: { path: '/', port: 'ghost' } } })]), allowFailure: true });
    const ghostAssertion = await kubectl(['create', '-f', '-'], { input: input([resource(n, 'ghost-assert', { assertions: [{ http: { port: 'ghost', path: '/' } }] })]), allowFailure: true });
    report(`self dependsOn: ${self.code === 0 ? 'accepted by the CRD' : `rejected by the CRD: ${self.stderr.trim().slice(0, 200)}`}`);
    report(`readiness port name no port has: ${ghost.code === 0 ? 'accepted' : `rejected by the CRD: ${ghost.stderr.trim().slice(0, 200)}`}`);
    report(`assertion port name no port has: ${ghostAssertion.code === 0 ? 'accepted' : `rejected by the CRD: ${ghostAssertion.stderr.trim().slice(0, 200)}`}`);
    expect(ghost.code).not.toBe(0);
    expect(ghost.stderr).toContain('spec.readiness');
    expect(ghostAssertion.code).not.toBe(0);
    const names = ['in-loop', 'elsewhere', 'huge-env', 'unicode', ...(self.code === 0 ? ['self'] : [])];

    const inLoop = await waitFor('in-loop reports the cycle', async () => {
      const c = await conditionOf(n, 'cwr', 'in-loop');
      return c?.reason === 'DependencyCycle' ? c : undefined;
    }, { timeoutMs: 20_000 });
    expect(inLoop.status).toBe('False');
    expect(inLoop.message).toContain('in-loop');
    const elsewhere = await waitFor('elsewhere waits', async () => {
      const c = await conditionOf(n, 'cwr', 'elsewhere', 'DependenciesReady');
      return c?.status === 'False' ? c : undefined;
    }, { timeoutMs: 20_000 });
    expect(elsewhere.message).toContain('no-such-namespace-zz/db');
    if (self.code === 0) expect((await waitFor('self cycle', async () => (await conditionOf(n, 'cwr', 'self'))?.reason === 'DependencyCycle' || undefined, { timeoutMs: 20_000 }))).toBe(true);
    await waitReady(n, 'cwr', 'unicode', 30_000);
    const unicodePod = await getObject(n, 'pod', 'unicode');
    expect(unicodePod.spec.containers[0].env).toEqual(expect.arrayContaining([{ name: 'GREETING', value: unicode }]));
    expect(Object.values((await getObject(n, 'configmap', 'unicode-files')).data)).toEqual([unicode]);
    expect(unicodePod.metadata.annotations['example.com/note']).toBe(unicode);
    const hugeReady = await waitFor('huge-env settles', async () => {
      const c = await conditionOf(n, 'cwr', 'huge-env');
      return c && c.reason !== 'Progressing' && c.reason !== 'Pending' ? c : undefined;
    }, { timeoutMs: 30_000 });
    const hugeFiles = await waitFor('huge-files gets a condition', async () => {
      const c = await conditionOf(n, 'cwr', 'huge-files');
      return c && c.status === 'False' && c.reason !== 'Progressing' && c.reason !== 'Pending' ? c : undefined;
    }, { timeoutMs: 30_000 }).catch(async (e: Error) => {
      report(`huge files: no condition: ${JSON.stringify((await getObject(n, 'cwr', 'huge-files')).status ?? {}).slice(0, 300)}; operator: ${op.logs().filter((l) => l.includes('huge-files')).slice(-2).join(' | ').slice(0, 400)}`);
      throw e;
    });
    report(`huge files (5 × 250 kB, over a ConfigMap's 1 MiB): ${hugeFiles.status}/${hugeFiles.reason} ${hugeFiles.message.slice(0, 160)}`);
    expect(hugeFiles.reason).toBe('WorkloadRejected');
    expect(hugeFiles.message).toContain('huge-files-files');
    names.push('huge-files');
    report(`huge env (200 × 4000 B): ${hugeReady.status}/${hugeReady.reason} ${hugeReady.message.slice(0, 120)}`);
    report(`self-dependency through a composite: ${inLoop.reason}: ${inLoop.message}`);
    report(`dependency in a missing namespace: ${elsewhere.reason}: ${elsewhere.message}`);

    // Settled: over 10 s, nothing is rewritten and reconciles stay bounded.
    await sleep(1000);
    const rv = async () => Object.fromEntries(await Promise.all(names.map(async (x) => [x, (await getObject(n, 'cwr', x)).metadata.resourceVersion])));
    const rv0 = await rv();
    const reconciles0 = await op.metric('clockwork_reconcile_total');
    await sleep(10_000);
    const reconciles = (await op.metric('clockwork_reconcile_total')) - reconciles0;
    const rv1 = await rv();
    report(`nonsense objects over 10 s: ${reconciles} reconciles, status writes: ${names.filter((x) => rv0[x] !== rv1[x]).length}`);
    expect(rv1).toEqual(rv0);
    expect(reconciles).toBeLessThan(40);
    expect(op.exited()).toBe(false);
  }, 120_000);

  test('nothing in a Resource reaches the host: unknown fields are pruned, the Pod stays restricted', async () => {
    const n = await ns('hostaccess');
    await scope.operator({ namespace: n });
    const hostile = {
      apiVersion: 'clockwork.dev/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'hostile', namespace: n },
      spec: {
        image: 'clockwork-test/busybox:1',
        ports: [{ name: 'http', port: 8080, hostPort: 8080, hostIP: '0.0.0.0' }],
        hostNetwork: true,
        hostPID: true,
        hostIPC: true,
        privileged: true,
        securityContext: { privileged: true, runAsUser: 0, capabilities: { add: ['SYS_ADMIN', 'NET_ADMIN'] } },
        capabilities: { add: ['SYS_ADMIN'] },
        serviceAccountName: 'admin',
        serviceAccount: 'admin',
        automountServiceAccountToken: true,
        nodeName: 'kwok-node-0',
        nodeSelector: { 'kubernetes.io/hostname': 'kwok-node-0' },
        affinity: { nodeAffinity: {} },
        tolerations: [{ operator: 'Exists' }],
        // A volume that asks for a host path: pruned to a plain claim of the default class.
        volumes: [{ name: 'root', mountPath: '/host', hostPath: { path: '/' }, persistentVolumeClaim: { claimName: 'someone-elses' } }],
        volumeMounts: [{ name: 'root', mountPath: '/host' }],
        files: [{ mountPath: '/etc/x', content: 'x', hostPath: '/etc' }],
        env: [{ name: 'A', value: 'a', valueFrom: undefined }],
        readiness: { exec: { command: ['true'] }, hostNetwork: true },
        resources: { limits: { cpu: '1' } },
      },
    };
    const r = await kubectl(['apply', '--validate=false', '-f', '-'], { input: JSON.stringify(hostile) });
    expect(r.stdout).toContain('created');
    await waitReady(n, 'cwr', 'hostile', 30_000);
    const stored = await getObject(n, 'cwr', 'hostile');
    expect(Object.keys(stored.spec).sort()).toEqual(['env', 'files', 'image', 'ports', 'readiness', 'resources', 'securityContext', 'volumes']);
    expect(stored.spec.volumes).toEqual([{ name: 'root', mountPath: '/host' }]);
    expect(stored.spec.files[0]).toEqual({ mountPath: '/etc/x', content: 'x' });
    // Of securityContext only the user survives: privileged and capabilities are pruned.
    expect(stored.spec.securityContext).toEqual({ runAsUser: 0 });
    const pod = await getObject(n, 'pod', 'hostile');
    const spec = pod.spec;
    expect(spec.hostNetwork ?? false).toBe(false);
    expect(spec.hostPID ?? false).toBe(false);
    expect(spec.hostIPC ?? false).toBe(false);
    expect(spec.serviceAccountName ?? 'default').toBe('default');
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.nodeSelector).toBeUndefined();
    expect(spec.affinity).toBeUndefined();
    // Only the tolerations the DefaultTolerationSeconds admission adds.
    expect((spec.tolerations ?? []).every((t: { tolerationSeconds?: number }) => t.tolerationSeconds === 300)).toBe(true);
    // Only the files' ConfigMap and the Resource's own claim: never a host path, never another claim.
    expect(spec.volumes).toEqual([
      { name: 'files', configMap: { name: 'hostile-files', defaultMode: 420 } },
      { name: 'volume-0', persistentVolumeClaim: { claimName: 'hostile-root' } },
    ]);
    const c = spec.containers[0];
    expect(spec.containers).toHaveLength(1);
    expect(c.ports.every((p: { hostPort?: number }) => p.hostPort === undefined)).toBe(true);
    // Root inside the container, as asked, but with no privilege, escalation or capability.
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] }, runAsUser: 0 });
    expect(spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/etc/x', '/host']);
    expect(spec.initContainers).toBeUndefined();
    expect(spec.ephemeralContainers).toBeUndefined();

    // The same through the Resource's own annotations, which are copied onto the Pod: the legacy
    // AppArmor / seccomp annotations must not turn into an unconfined profile.
    const annotated = {
      apiVersion: 'clockwork.dev/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'annotated',
        namespace: n,
        annotations: {
          'container.apparmor.security.beta.kubernetes.io/main': 'unconfined',
          'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
          'container.seccomp.security.alpha.kubernetes.io/main': 'unconfined',
        },
      },
      spec: { image: 'clockwork-test/busybox:1' },
    };
    await kubectl(['apply', '--validate=false', '-f', '-'], { input: JSON.stringify(annotated) });
    const annotatedPod = await waitFor('annotated Pod (or a condition)', async () => (await getObject(n, 'pod', 'annotated')) ?? ((await conditionOf(n, 'cwr', 'annotated'))?.reason === 'Failed' ? null : undefined), { timeoutMs: 30_000 });
    const profiles = annotatedPod ? JSON.stringify({ pod: annotatedPod.spec.securityContext, container: annotatedPod.spec.containers[0].securityContext, annotations: annotatedPod.metadata.annotations }) : 'no Pod';
    report(`security annotations on a Resource → Pod: ${profiles}`);
    if (annotatedPod) {
      expect(annotatedPod.spec.securityContext.appArmorProfile?.type).not.toBe('Unconfined');
      expect(annotatedPod.spec.containers[0].securityContext.appArmorProfile?.type).not.toBe('Unconfined');
      expect(annotatedPod.spec.securityContext.seccompProfile.type).toBe('RuntimeDefault');
      expect(annotatedPod.spec.containers[0].securityContext.seccompProfile?.type).not.toBe('Unconfined');
      expect(Object.keys(annotatedPod.metadata.annotations).filter((k) => /apparmor|seccomp/.test(k))).toEqual([]);
    }
  }, 90_000);

  test('a cross-namespace dependency reveals only the target Service name and first port', async () => {
    const target = await ns('xns-target');
    const dependent = await ns('xns-dependent');
    await kubectl(['annotate', 'namespace', target, `clockwork.dev/allow-dependents-from=${dependent}`]);
    await scope.operator();
    await kubectl(['apply', '-f', '-'], {
      input: input([
        // db waits for a gate created once app's waiting has been seen: held up by construction.
        resource(target, 'db', {
          ports: [{ name: 'pg', port: 5432 }, { name: 'admin', port: 9999 }],
          env: [{ name: 'DB_PASSWORD', value: 'hunter2' }],
          files: [{ mountPath: '/etc/db/secret.conf', content: 'top-secret' }],
          dependsOn: ['gate'],
        }),
        resource(dependent, 'app', { env: [{ name: 'OWN', value: '1' }] }, { annotations: { 'clockwork.dev/depends-on': `${target}/db` } }),
      ]),
    });
    const waiting = await waitFor('app waits for db', async () => {
      const c = await conditionOf(dependent, 'cwr', 'app', 'DependenciesReady');
      return c?.status === 'False' && c.message.includes('db') ? c : undefined;
    }, { timeoutMs: 20_000 });
    await kubectl(['apply', '-f', '-'], { input: input([resource(target, 'gate', {})]) });
    await waitReady(dependent, 'cwr', 'app', 40_000);
    const app = await getObject(dependent, 'pod', 'app');
    const env = app.spec.containers[0].env;
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect([...env].sort(byName)).toEqual([
      { name: 'DB_HOST', value: `db.${target}.svc.cluster.local` },
      { name: 'DB_PORT', value: '5432' },
      { name: 'OWN', value: '1' },
    ]);
    const appStatus = JSON.stringify((await getObject(dependent, 'cwr', 'app')).status);
    for (const secret of ['hunter2', 'top-secret', '9999', 'admin']) {
      expect(JSON.stringify(app)).not.toContain(secret);
      expect(appStatus).not.toContain(secret);
    }
    report(`cross-namespace dependency: env ${env.map((e: { name: string }) => e.name).join(', ')}; while waiting the dependent's condition says: ${waiting.reason}: ${waiting.message}`);
  }, 90_000);
});
