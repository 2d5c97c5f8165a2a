// The Docker engine with locally built test images (nothing is ever pulled).
import { afterAll, describe, expect, test } from '@jest/globals';
import { docker, testImages, waitFor } from '../../harness/index.ts';

const suffix = `${process.pid}-${Date.now() % 100000}`;
const containers: string[] = [];
const networks: string[] = [];

afterAll(async () => {
  for (const c of containers) await docker(['rm', '-f', c], { allowFailure: true });
  for (const n of networks) await docker(['network', 'rm', n], { allowFailure: true });
});

async function runContainer(args: string[]): Promise<string> {
  const id = (await docker(['run', '-d', '--pull', 'never', ...args])).stdout.trim();
  containers.push(id);
  return id;
}

describe('docker engine', () => {
  test('a container from a local test image serves HTTP on a published port reachable from the host', async () => {
    const id = await runContainer(['-p', '127.0.0.1::8080', testImages.busybox, 'httpd', '-f', '-p', '8080', '-h', '/var/www']);
    const port = (await docker(['port', id, '8080/tcp'])).stdout.trim().split('\n')[0]!.split(':').pop()!;
    const body = await waitFor('published port to answer', async () => {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      return r.ok ? await r.text() : undefined;
    }, { timeoutMs: 20_000 });
    expect(body).toContain('clockwork test image');
  }, 40_000);

  test('two containers on a user-defined network reach each other by alias', async () => {
    const net = `cw-infra-${suffix}`;
    await docker(['network', 'create', net]);
    networks.push(net);
    await runContainer(['--network', net, '--network-alias', 'backend', testImages.busybox,
      'sh', '-c', 'echo from-backend > /tmp/index.html && exec httpd -f -p 8080 -h /tmp']);
    const out = await waitFor('client to reach backend by alias', async () => {
      const r = await docker(['run', '--rm', '--pull', 'never', '--network', net, testImages.busybox,
        'http-get', 'backend:8080', '/', '3'], { allowFailure: true });
      return r.code === 0 ? r.stdout : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(out.trim()).toBe('from-backend');
  }, 60_000);
});
