// `clockwork dev` against the real node with the operator running: a files-only save reaches the
// running Pod through its configMap volume (same Pod; the kubelet rewrites the directory) and
// dev sends SIGHUP through pods/exec; an env save replaces the Pod; a save that does not compile
// changes nothing; a second dev refuses (a Lease in the namespace); Ctrl-C leaves the stack.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import { writeDevStack, type DevStack } from '../dev-stack.ts';
import { clockwork, root, startClockwork, type RunningCli } from '../docker/helpers.ts';
import { deleteNamespaces, ensureCrds, kubectl, kubectlJson, newNamespace, startOperatorProcess, type OperatorProcess } from '../../integration/operator/support.ts';

let operator: OperatorProcess;
let ns = '';
let stack: DevStack;
let file: string;
let dev: RunningCli;

beforeAll(async () => {
  await ensureCrds();
  operator = await startOperatorProcess();
  ns = await newNamespace('dev');
  stack = writeDevStack(root);
  file = relative(root, stack.file);
  dev = startClockwork(['dev', file, '-n', ns, '--target', 'kubernetes', '--dashboard-port', '0']);
  await dev.waitFor(/watching 3 files of/, 180_000);
}, 240_000);

afterAll(async () => {
  await dev?.interrupt();
  await deleteNamespaces([ns].filter(Boolean));
  await operator?.stop();
  if (stack) rmSync(stack.dir, { recursive: true, force: true });
}, 90_000);

const podUid = async (name: string) => (await kubectlJson(['get', 'pod', name, '-n', ns, '-o', 'json'])).metadata.uid as string;

describe('clockwork dev on Kubernetes (real node)', () => {
  test('the first apply: both Resources Ready, their output followed through the Pod log API', async () => {
    expect(dev.stdout()).toMatch(/✓ 2\/2 resources Ready/);
    await dev.waitFor(/^web +\| started with version 1 and hello$/m, 30_000);
  });

  test('a files-only save reaches the same Pod (configMap volume, not subPath) and SIGHUP sent through pods/exec is taken', async () => {
    const before = await podUid('web');
    const mark = dev.stdout().length;
    stack.setConfig('version 2');
    const live = await dev.waitFor(/web: files live (\d+\.\d+)s after the save, Pod ([0-9a-f-]{12}) kept; reload: SIGHUP sent/, 120_000, mark);
    console.log(`[timing] kubernetes, files-only save live (and SIGHUP sent) after ${live[1]}s`);
    await dev.waitFor(/^web +\| reloaded: version 2$/m, 30_000, mark);
    expect(await podUid('web')).toBe(before);
    expect(before.startsWith(live[2]!)).toBe(true);
    expect((await kubectl(['exec', '-n', ns, 'web', '--', 'cat', '/etc/app/config.txt'])).stdout).toBe('version 2');
    const pod = await kubectlJson(['get', 'pod', 'web', '-n', ns, '-o', 'json']);
    expect(JSON.stringify(pod.spec)).not.toContain('subPath');
  }, 180_000);

  test('a save that changes an env value replaces the Pod', async () => {
    const before = await podUid('web');
    const mark = dev.stdout().length;
    stack.setGreeting('bonjour');
    const applied = await dev.waitFor(/✓ applied (\d+\.\d+)s after the save/, 120_000, mark);
    console.log(`[timing] kubernetes, env save applied (Pod replaced, Ready) after ${applied[1]}s`);
    expect(dev.stdout().slice(mark)).toContain('web: env changed: replacing its workload');
    await dev.waitFor(/^web +\| started with version 2 and bonjour$/m, 60_000, mark);
    expect(await podUid('web')).not.toBe(before);
  }, 180_000);

  test('a save that does not compile prints the errors and leaves the stack as it was', async () => {
    const before = await podUid('web');
    const generation = (await kubectlJson(['get', 'cwr', 'web', '-n', ns, '-o', 'json'])).metadata.generation;
    const mark = dev.stdout().length;
    stack.breakSettings();
    await dev.waitFor(/saved, but the stack no longer compiles; the running stack is left as it was:\n.*cannot be loaded: Expression expected\n.*settings\.ts:1/, 30_000, mark);
    expect(await podUid('web')).toBe(before);
    expect((await kubectlJson(['get', 'cwr', 'web', '-n', ns, '-o', 'json'])).metadata.generation).toBe(generation);
  }, 60_000);

  test('a second dev on the same stack and namespace refuses, naming the first (a Lease in the namespace)', async () => {
    const second = await clockwork(['dev', file, '-n', ns, '--target', 'kubernetes']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`clockwork dev is already running for stack "${file.replace(/[./]/g, '\\$&')}" in namespace "${ns}": .*pid \\d+ watching`));
  }, 60_000);

  test('Ctrl-C stops watching and leaves the stack running', async () => {
    expect(await dev.interrupt()).toBe(0);
    expect(dev.stdout()).toMatch(/stopped watching; the stack keeps running in namespace/);
    expect((await kubectlJson(['get', 'pod', 'web', '-n', ns, '-o', 'json'])).status.phase).toBe('Running');
    // The session's Lease is released: the next dev may start at once.
    expect((await kubectl(['get', 'lease', '-n', ns, '-o', 'name'])).stdout).not.toContain('clockwork-dev-stack');
  }, 60_000);
});
