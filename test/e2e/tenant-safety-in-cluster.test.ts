// Issue #18 in cluster: the operator installed as users install it (its image, `kubectl apply -k
// deploy/`: the shipped RBAC, 2 replicas, leader election), assertions reaching Services directly.
// A tenant who may only create Resources in their namespace tries what the security review
// found; each test asserts that nothing leaked and nothing changed. The same attacks out of
// cluster (through the API server proxy) are in test/integration/security/.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { importImage, kubectl, kubectlJson, repoRoot, run, testImages, waitFor } from '../harness/index.ts';

const SYSTEM = 'clockwork-system';
const VICTIM = 'tenant-victim';
const ATTACKER = 'tenant-attacker';
const BYSTANDER = 'tenant-bystander';
const SECRET = `in-cluster-secret-${process.pid}`;
const report = (line: string) => process.stderr.write(`[tenant-safety] ${line}\n`);

const leader = async () => (await kubectlJson(['get', 'lease', 'clockwork-operator', '-n', SYSTEM])).spec.holderIdentity as string;
/** The leader once it is one of the running Pods (after a rollout the Lease names the old one for a while). */
const liveLeader = () =>
  waitFor('a leader among the running operator Pods', async () => {
    const pods = (await kubectlJson(['get', 'pods', '-n', SYSTEM, '-l', 'app.kubernetes.io/name=clockwork-operator'])).items.filter((p: any) => !p.metadata.deletionTimestamp && p.status.phase === 'Running');
    const holder = await leader().catch(() => '');
    return pods.some((p: any) => p.metadata.name === holder) ? holder : undefined;
  }, { timeoutMs: 90_000, intervalMs: 1000 });
const resourceStatus = async (name: string, ns = ATTACKER) => (await kubectlJson(['get', 'cwr', name, '-n', ns])).status;
const byName = (status: any) => Object.fromEntries((status?.assertions ?? []).map((a: any) => [a.name, a]));
/** What the attacker can read back: its Resources' status and its namespace's Events. */
const tenantView = async () => JSON.stringify([(await kubectlJson(['get', 'cwr', '-n', ATTACKER])).items.map((r: any) => r.status), (await kubectlJson(['get', 'events', '-n', ATTACKER])).items.map((e: any) => e.message)]);
const apply = (object: object) => kubectl(['apply', '-f', '-'], { input: JSON.stringify(object) });
const resource = (name: string, spec: object, namespace = ATTACKER) => ({ apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', metadata: { name, namespace }, spec: { image: testImages.busybox, ...spec } });

let victimPodIp = '';

beforeAll(async () => {
  await run('bash', [join(repoRoot, 'test/images/build-example-images.sh'), 'operator'], { timeoutMs: 600_000 });
  await importImage('clockwork/operator:0.1.0');
  await kubectl(['apply', '--server-side', '--force-conflicts', '-k', join(repoRoot, 'deploy')]);
  await kubectl(['rollout', 'status', 'deployment/clockwork-operator', '-n', SYSTEM, '--timeout=180s'], { timeoutMs: 200_000 });
  await waitFor('a leader', async () => (await leader().catch(() => '')) || undefined, { timeoutMs: 60_000 });
  for (const ns of [VICTIM, ATTACKER, BYSTANDER]) await kubectl(['create', 'namespace', ns]);
  // Another tenant's web server (not Clockwork's): a Pod and a Service with something to steal.
  await kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'secret-web', namespace: VICTIM, labels: { app: 'secret-web' } },
          spec: {
            automountServiceAccountToken: false,
            containers: [{ name: 'web', image: testImages.busybox, imagePullPolicy: 'Never', command: ['sh', '-c', `mkdir -p /www && echo ${SECRET} > /www/secret.txt && exec httpd -f -vv -p 8080 -h /www`], ports: [{ containerPort: 8080 }] }],
          },
        },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'secret-web', namespace: VICTIM }, spec: { selector: { app: 'secret-web' }, ports: [{ port: 8080 }] } },
      ],
    }),
  });
  await kubectl(['wait', '--for=condition=Ready', 'pod/secret-web', '-n', VICTIM, '--timeout=90s'], { timeoutMs: 100_000 });
  victimPodIp = (await kubectlJson(['get', 'pod', 'secret-web', '-n', VICTIM])).status.podIP;
}, 900_000);

afterAll(async () => {
  const logs = await kubectl(['logs', '-n', SYSTEM, '-l', 'app.kubernetes.io/name=clockwork-operator', '--tail=2000'], { allowFailure: true });
  const refused = logs.stdout.split('\n').filter((l) => /forbidden/i.test(l));
  report(`operator log lines with "forbidden" (the shipped RBAC refused a call): ${refused.length}${refused.length ? `: ${refused.slice(0, 3).join(' | ')}` : ''}`);
  await kubectl(['delete', 'namespace', VICTIM, ATTACKER, BYSTANDER, '--wait=true', '--timeout=90s'], { allowFailure: true, timeoutMs: 120_000 });
  await kubectl(['delete', 'namespace', SYSTEM, '--timeout=60s'], { allowFailure: true, timeoutMs: 90_000 });
  await kubectl(['delete', 'clusterrole,clusterrolebinding', 'clockwork-operator', '--ignore-not-found'], { allowFailure: true });
}, 300_000);

describe('tenant safety, in cluster', () => {
  test('a path that would leave the Resource is refused by the apiserver; a query stays on its own Service', async () => {
    const refused = await kubectl(['create', '-f', '-'], { input: JSON.stringify(resource('climber', { ports: [{ port: 8080 }], assertions: [{ http: { port: 8080, path: `/../../../../../../../api/v1/namespaces/${VICTIM}/secrets` } }] })), allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('may not contain "." or ".." segments');
    await apply(
      resource('web', {
        command: ['sh', '-c', 'mkdir -p /tmp/www && echo "hello from web" > /tmp/www/index.html && exec httpd -f -vv -p 8080 -h /tmp/www'],
        ports: [{ name: 'http', port: 8080 }],
        readiness: { tcpSocket: { port: 'http' }, periodSeconds: 1 },
        assertions: [{ name: 'query', http: { port: 'http', path: '/index.html?next=/../../../api/v1/secrets', bodyContains: 'hello from web' }, intervalSeconds: 5 }],
      }),
    );
    await kubectl(['wait', '--for=condition=Ready', 'cwr/web', '-n', ATTACKER, '--timeout=120s'], { timeoutMs: 130_000 });
    // The check passed on the Resource's own server, which saw the path (httpd logs it without the query).
    expect(byName(await resourceStatus('web')).query).toMatchObject({ passed: true });
    expect((await kubectl(['logs', 'web', '-n', ATTACKER])).stdout).toMatch(/url:\/index\.html\n/);
  }, 180_000);

  test('url checks are off: the Service, Pod IP and API server of other namespaces and the metadata address are never requested; nothing leaks', async () => {
    const urls = {
      service: `http://secret-web.${VICTIM}.svc.cluster.local:8080/secret.txt`,
      pod: `http://${victimPodIp}:8080/secret.txt`,
      apiserver: `https://kubernetes.default.svc/api/v1/namespaces/${VICTIM}/secrets`,
      metadata: 'http://169.254.169.254/latest/meta-data/',
    };
    await apply(resource('ssrf', { command: ['sleep', '3600'], readiness: { exec: { command: ['true'] } }, assertions: Object.entries(urls).map(([name, url]) => ({ name, http: { url, bodyContains: 'nope' }, intervalSeconds: 2, timeoutSeconds: 2 })) }));
    const status = await waitFor('the url checks ran', async () => {
      const s = await resourceStatus('ssrf').catch(() => undefined);
      return s?.assertions?.length === 4 && s.assertions.every((a: any) => a.lastCheckedTime) ? s : undefined;
    }, { timeoutMs: 120_000 });
    report(`url checks in cluster, default install: ${status.assertions.map((a: any) => `${a.name}: ${a.message}`).join(' | ')}`);
    for (const a of status.assertions) expect(a.message).toContain('assertion URLs are off in this operator');
    expect(await tenantView()).not.toContain(SECRET);
    expect((await kubectl(['logs', 'secret-web', '-n', VICTIM])).stdout).not.toContain('secret.txt');
  }, 180_000);

  test('allowed by the installer for one host: it is fetched, its answer never shows; everything else stays refused', async () => {
    const host = `secret-web.${VICTIM}.svc.cluster.local`;
    await kubectl(['patch', 'deployment', 'clockwork-operator', '-n', SYSTEM, '--type=json', '-p', JSON.stringify([{ op: 'add', path: '/spec/template/spec/containers/0/args/-', value: `--allow-assertion-urls=${host}` }])]);
    await kubectl(['rollout', 'status', 'deployment/clockwork-operator', '-n', SYSTEM, '--timeout=180s'], { timeoutMs: 200_000 });
    const checked = await waitFor('the service check reached the victim', async () => {
      const a = byName(await resourceStatus('ssrf'));
      return a.service && !a.service.message.includes('are off') ? a : undefined;
    }, { timeoutMs: 120_000, intervalMs: 1000 });
    report(`url checks in cluster, --allow-assertion-urls=${host}: ${Object.values(checked).map((a: any) => `${a.name}: ${a.message}`).join(' | ')}`);
    expect(checked.service.message).toBe(`GET http://${host}:8080/secret.txt: expected the body to contain "nope"`);
    expect(checked.pod.message).toContain('not allowed by --allow-assertion-urls');
    expect(checked.apiserver.message).toMatch(/not allowed by --allow-assertion-urls|the API server/);
    expect(checked.metadata.message).toContain('not allowed by --allow-assertion-urls');
    expect(await tenantView()).not.toContain(SECRET);
    expect((await kubectl(['logs', 'secret-web', '-n', VICTIM])).stdout).toContain('secret.txt');
  }, 300_000);

  test("a Resource named after another tenant's Service and ConfigMap leaves them unchanged and reports ChildConflict", async () => {
    await kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ledger', namespace: ATTACKER, labels: { team: 'finance' } }, spec: { selector: { app: 'ledger-real' }, ports: [{ port: 8080 }] } },
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ledger-files', namespace: ATTACKER }, data: { 'ledger.conf': 'the real one' } },
        ],
      }),
    });
    const snap = async () => JSON.stringify([await kubectlJson(['get', 'service', 'ledger', '-n', ATTACKER]), await kubectlJson(['get', 'configmap', 'ledger-files', '-n', ATTACKER])].map((o: any) => ({ rv: o.metadata.resourceVersion, labels: o.metadata.labels, owners: o.metadata.ownerReferences, spec: o.spec, data: o.data })));
    const before = await snap();
    await apply(resource('ledger', { command: ['sleep', '3600'], ports: [{ port: 9999 }], files: [{ mountPath: '/etc/ledger.conf', content: 'the attacker’s' }] }));
    const ready = await waitFor('ChildConflict', async () => {
      const c = (await resourceStatus('ledger').catch(() => undefined))?.conditions?.find((x: any) => x.type === 'Ready');
      return c?.reason === 'ChildConflict' ? c : undefined;
    }, { timeoutMs: 60_000 });
    report(`takeover in cluster: ledger ${ready.reason}: ${ready.message}`);
    expect(ready.message).toMatch(new RegExp(`(Service|ConfigMap) ${ATTACKER}/ledger(-files)? exists and is not this Resource's`));
    await new Promise((r) => setTimeout(r, 3000));
    expect(await snap()).toBe(before);
  }, 120_000);

  test("a dependency on another namespace needs its consent; then Ready or not only, and *_HOST/*_PORT", async () => {
    await apply(resource('vault', { command: ['sh', '-c', 'exec httpd -f -p 8200 -h /'], ports: [{ port: 8200 }], readiness: { tcpSocket: { port: 8200 }, periodSeconds: 1 } }, VICTIM));
    await apply({ ...resource('peek', { command: ['sleep', '3600'], readiness: { exec: { command: ['true'] } } }), metadata: { name: 'peek', namespace: ATTACKER, annotations: { 'clockwork.dev/depends-on': `${VICTIM}/vault` } } });
    const refused = await waitFor('DependencyNotPermitted', async () => {
      const c = (await resourceStatus('peek').catch(() => undefined))?.conditions?.find((x: any) => x.type === 'DependenciesReady');
      return c?.reason === 'DependencyNotPermitted' ? c : undefined;
    }, { timeoutMs: 60_000 });
    expect((await kubectl(['get', 'pod', 'peek', '-n', ATTACKER], { allowFailure: true })).code).not.toBe(0);
    await kubectl(['annotate', 'namespace', VICTIM, `clockwork.dev/allow-dependents-from=${ATTACKER}`]);
    await kubectl(['wait', '--for=condition=Ready', 'cwr/peek', '-n', ATTACKER, '--timeout=120s'], { timeoutMs: 130_000 });
    const env = Object.fromEntries((await kubectlJson(['get', 'pod', 'peek', '-n', ATTACKER])).spec.containers[0].env.map((e: any) => [e.name, e.value]));
    report(`consent in cluster: before the annotation ${refused.reason}: ${refused.message}; after it Ready with VAULT_HOST=${env.VAULT_HOST}`);
    expect(env).toMatchObject({ VAULT_HOST: `vault.${VICTIM}.svc.cluster.local`, VAULT_PORT: '8200' });
  }, 180_000);

  test("a catastrophic regex on the Resource's own body and log: the leader's /healthz answers and another namespace converges meanwhile", async () => {
    await apply(
      resource('redos', {
        command: ['sh', '-c', `mkdir -p /tmp/www && printf '${'a'.repeat(28)}!' > /tmp/www/evil && while true; do echo '${'a'.repeat(28)}!'; sleep 1; done & exec httpd -f -p 8080 -h /tmp/www`],
        ports: [{ name: 'http', port: 8080 }],
        readiness: { tcpSocket: { port: 'http' }, periodSeconds: 1 },
        assertions: [
          { name: 'body', http: { port: 'http', path: '/evil', bodyMatches: '^(a+)+$' }, intervalSeconds: 1 },
          { name: 'log', logContains: { regex: '^(a+)+$' }, intervalSeconds: 1 },
        ],
      }),
    );
    await waitFor('the regex checks ran', async () => Object.keys(byName(await resourceStatus('redos').catch(() => undefined))).length === 2 || undefined, { timeoutMs: 120_000 }).catch(async (error: unknown) => {
      // Say what the operator saw: the Resource's status and the leader's last lines.
      const status = await resourceStatus('redos').catch((e: unknown) => String(e));
      const logs = await kubectl(['logs', '-n', SYSTEM, '-l', 'app.kubernetes.io/name=clockwork-operator', '--tail=40', '--prefix'], { allowFailure: true });
      report(`regex checks not seen; redos status: ${JSON.stringify(status).slice(0, 2000)}\noperator logs:\n${logs.stdout}${logs.stderr}`);
      throw error;
    });
    const pod = await liveLeader();
    const restartsBefore = (await kubectlJson(['get', 'pod', pod, '-n', SYSTEM])).status.containerStatuses[0].restartCount;
    const probes: number[] = [];
    let failed = 0;
    let firstFailure = '';
    let probing = true;
    const prober = (async () => {
      while (probing) {
        const t0 = performance.now();
        const r = await kubectl(['get', '--raw', `/api/v1/namespaces/${SYSTEM}/pods/${pod}:8080/proxy/healthz`], { allowFailure: true, timeoutMs: 10_000 });
        if (r.code !== 0) {
          failed++;
          firstFailure ||= `${r.code}: ${r.stderr.trim()} ${r.stdout.trim()}`.slice(0, 300);
        }
        probes.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const t0 = Date.now();
    try {
      await kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Array.from({ length: 6 }, (_, i) => resource(`b-${i}`, { command: ['sleep', '3600'], readiness: { exec: { command: ['true'] }, periodSeconds: 1 }, ...(i >= 3 ? { dependsOn: [`b-${i - 3}`] } : {}) }, BYSTANDER)) }) });
      await kubectl(['wait', '--for=condition=Ready', 'cwr', '--all', '-n', BYSTANDER, '--timeout=120s'], { timeoutMs: 130_000 });
    } finally {
      probing = false;
      await prober;
    }
    const status = byName(await resourceStatus('redos'));
    const restartsAfter = (await kubectlJson(['get', 'pod', pod, '-n', SYSTEM])).status.containerStatuses[0].restartCount;
    report(`regex attack in cluster: bystander (6 Resources, 2 waves) Ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; /healthz ${probes.length} probes through the API server, ${failed} failed${firstFailure ? ` (${firstFailure})` : ''}, slowest ${Math.max(...probes).toFixed(0)} ms; leader restarts ${restartsBefore} → ${restartsAfter}; body: ${status.body?.message}; log: ${status.log?.message}`);
    expect(failed).toBe(0);
    expect(Math.max(...probes)).toBeLessThan(3000);
    expect(restartsAfter).toBe(restartsBefore);
    expect(await leader()).toBe(pod);
    // The patterns really ran (in the image's compiled regex worker) and did not match.
    expect(status.body?.message).toContain('expected the body to match');
    expect(status.log?.message).toContain('expected the log to contain');
  }, 300_000);
});
