// The real profile: one node whose Pods are real processes (containerd + runc + CNI bridge),
// kube-proxy (iptables) and CoreDNS. The last test stops the cluster, checks that nothing is left,
// and starts it again for the test files that run after this one.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import {
  clusterInfo,
  docker,
  importImage,
  kubectl,
  kubectlApply,
  kubectlJson,
  leftovers,
  mountsUnder,
  processesUsing,
  run,
  startCluster,
  stopCluster,
  testImages,
  waitFor,
} from '../../harness/index.ts';

const ns = `cw-infra-real-${Date.now() % 100000}`;
const restricted = {
  pod: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
  container: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
};

function webPod(name: string, image: string = testImages.busybox): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      securityContext: restricted.pod,
      containers: [
        {
          name: 'httpd',
          image,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', 'mkdir -p /tmp/www && echo "hello from $HOSTNAME" > /tmp/www/index.html && echo web-started && exec httpd -f -vv -p 8080 -h /tmp/www'],
          ports: [{ containerPort: 8080 }],
          readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
          securityContext: restricted.container,
        },
      ],
    },
  };
}

async function waitReady(name: string, timeoutMs = 60_000): Promise<any> {
  await kubectl(['wait', '--for=condition=Ready', `pod/${name}`, `--timeout=${Math.round(timeoutMs / 1000)}s`], {
    namespace: ns,
    timeoutMs: timeoutMs + 10_000,
  }).catch(async (e: unknown) => {
    const d = await kubectl(['describe', 'pod', name], { namespace: ns, allowFailure: true });
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${d.stdout}`);
  });
  return kubectlJson(['get', 'pod', name], { namespace: ns });
}

beforeAll(async () => {
  await kubectl(['create', 'namespace', ns]);
  await kubectl(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=restricted']);
  await waitFor('default ServiceAccount', async () => (await kubectl(['get', 'sa', 'default'], { namespace: ns, allowFailure: true })).code === 0);
}, 60_000);

afterAll(async () => {
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
});

describe('real profile', () => {
  let podIP = '';

  test('a Pod from a locally built image serves HTTP and becomes Ready through its readiness probe', async () => {
    const info = clusterInfo();
    expect(info.profile).toBe('real');
    await kubectlApply(webPod('web'));
    const p = await waitReady('web');
    expect(p.spec.nodeName).toBe(info.nodes[0]);
    podIP = p.status.podIP;
    const r = await fetch(`http://${podIP}:8080/`);
    expect(await r.text()).toBe('hello from web\n');
  }, 90_000);

  test('its logs are readable through the API, exec and the service proxy work', async () => {
    const logs = await waitFor('web logs', async () => {
      const out = (await kubectl(['logs', 'web'], { namespace: ns })).stdout;
      return out.includes('web-started') ? out : undefined;
    });
    expect(logs).toContain('web-started');
    const ex = await kubectl(['exec', 'web', '--', 'cat', '/tmp/www/index.html'], { namespace: ns });
    expect(ex.stdout).toBe('hello from web\n');
    const proxied = await kubectl(['get', '--raw', `/api/v1/namespaces/${ns}/pods/web:8080/proxy/`]);
    expect(proxied.stdout).toBe('hello from web\n');
  }, 60_000);

  test('kubectl port-forward reaches the Pod from the host', async () => {
    const info = clusterInfo();
    const pf = spawn(info.kubectl, ['--kubeconfig', info.kubeconfig, '-n', ns, 'port-forward', 'pod/web', ':8080'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<string>((resolvePort, reject) => {
        let out = '';
        pf.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolvePort(m[1]!);
        });
        pf.on('exit', (code) => reject(new Error(`port-forward exited (${code}): ${out}`)));
        setTimeout(() => reject(new Error(`port-forward did not start: ${out}`)), 15_000);
      });
      const r = await fetch(`http://127.0.0.1:${port}/`);
      expect(await r.text()).toBe('hello from web\n');
    } finally {
      pf.kill();
    }
  }, 30_000);

  test('a second Pod reaches the first by Service name (CoreDNS + kube-proxy)', async () => {
    await kubectlApply({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: ns },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    await kubectlApply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client', namespace: ns },
      spec: {
        restartPolicy: 'Never',
        securityContext: restricted.pod,
        containers: [
          {
            name: 'client',
            image: testImages.busybox,
            imagePullPolicy: 'IfNotPresent',
            // http-get: nc-based HTTP client in the test image (busybox-static's wget segfaults).
            command: ['sh', '-c', 'for i in $(seq 1 30); do if http-get web / 2; then exit 0; fi; sleep 1; done; exit 1'],
            securityContext: restricted.container,
          },
        ],
      },
    });
    const phase = await waitFor('client Pod to finish', async () => {
      const p = await kubectlJson(['get', 'pod', 'client'], { namespace: ns });
      return p.status.phase === 'Succeeded' || p.status.phase === 'Failed' ? (p.status.phase as string) : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    const logs = (await kubectl(['logs', 'client'], { namespace: ns })).stdout;
    // The client retries until the Service answers (the first try may beat kube-proxy's rules).
    expect(phase).toBe('Succeeded');
    expect(logs.trim().split('\n').at(-1)).toBe('hello from web');
  }, 90_000);

  test('importImage loads another local docker image into the node', async () => {
    const tag = Date.now() % 100000;
    const image = `clockwork-test/imported:${tag}`;
    const builder = `cw-import-${tag}`;
    await docker(['run', '--name', builder, testImages.busybox, 'sh', '-c', `echo imported-${tag} > /marker`]);
    await docker(['commit', builder, image]);
    await docker(['rm', builder]);
    try {
      await importImage(image);
      await kubectlApply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'imported', namespace: ns },
        spec: {
          restartPolicy: 'Never',
          securityContext: restricted.pod,
          containers: [
            { name: 'app', image, imagePullPolicy: 'IfNotPresent', command: ['cat', '/marker'], securityContext: restricted.container },
          ],
        },
      });
      await waitFor('Pod imported to succeed', async () => {
        const p = await kubectlJson(['get', 'pod', 'imported'], { namespace: ns });
        if (p.status.phase === 'Failed') throw new Error(JSON.stringify(p.status));
        return p.status.phase === 'Succeeded';
      }, { timeoutMs: 60_000, intervalMs: 500 });
      expect((await kubectl(['logs', 'imported'], { namespace: ns })).stdout).toBe(`imported-${tag}\n`);
    } finally {
      await docker(['rmi', image], { allowFailure: true });
    }
  }, 120_000);

  test('a claim is provisioned on first use (local-path), its data outlives the Pod, and deleting it removes the data', async () => {
    const info = clusterInfo();
    const writer = (name: string, script: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns },
      spec: {
        restartPolicy: 'Never',
        securityContext: restricted.pod,
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        containers: [
          { name: 'app', image: testImages.busybox, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], volumeMounts: [{ name: 'data', mountPath: '/data' }], securityContext: restricted.container },
        ],
      },
    });
    const finished = (name: string) =>
      waitFor(`Pod ${name} to succeed`, async () => {
        const p = await kubectlJson(['get', 'pod', name], { namespace: ns });
        if (p.status.phase === 'Failed') throw new Error(JSON.stringify(p.status));
        return p.status.phase === 'Succeeded';
      }, { timeoutMs: 90_000, intervalMs: 500 });
    await kubectlApply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: ns },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    const pending = await kubectlJson(['get', 'pvc', 'data'], { namespace: ns });
    expect(pending.spec.storageClassName).toBe('local-path');
    // WaitForFirstConsumer: nothing is provisioned before a Pod uses the claim.
    expect(pending.status.phase).toBe('Pending');
    await kubectlApply(writer('writer', 'echo kept > /data/marker'));
    await finished('writer');
    const claim = await kubectlJson(['get', 'pvc', 'data'], { namespace: ns });
    expect(claim.status.phase).toBe('Bound');
    const pv = await kubectlJson(['get', 'pv', claim.spec.volumeName]);
    const dir: string = pv.spec.hostPath.path;
    expect(dir.startsWith(`${info.stateDir}/local-path/data/`)).toBe(true);
    expect(readFileSync(`${dir}/marker`, 'utf8')).toBe('kept\n');
    await kubectl(['delete', 'pod', 'writer', '--wait=true'], { namespace: ns });
    await kubectlApply(writer('reader', 'cat /data/marker'));
    await finished('reader');
    expect((await kubectl(['logs', 'reader'], { namespace: ns })).stdout).toBe('kept\n');
    await kubectl(['delete', 'pod', 'reader', '--wait=true'], { namespace: ns });
    await kubectl(['delete', 'pvc', 'data', '--wait=true'], { namespace: ns });
    await waitFor('the volume directory to be removed', async () => !existsSync(dir), { timeoutMs: 60_000, intervalMs: 500 });
  }, 240_000);

  test('cluster down leaves nothing behind (processes, mounts, bridge, iptables rules, cgroups)', async () => {
    const info = clusterInfo();
    await stopCluster(info.stateDir);
    try {
      expect(processesUsing(info.stateDir)).toEqual([]);
      expect(mountsUnder(info.stateDir)).toEqual([]);
      expect((await run('ip', ['link', 'show', info.bridge], { allowFailure: true })).code).not.toBe(0);
      const rules = (await run('iptables-save', [])).stdout.split('\n').filter((l) => /KUBE-|CNI-|clockwork:/.test(l));
      expect(rules).toEqual([]);
      const netns = (await run('ip', ['netns', 'list'])).stdout.split('\n').filter((l) => l.startsWith('cni-'));
      expect(netns).toEqual([]);
      expect(await leftovers(info.stateDir)).toBe('');
    } finally {
      // Later test files of this run still need the cluster.
      await startCluster('real', info.stateDir);
    }
  }, 300_000);
});
