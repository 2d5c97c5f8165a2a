// `clockwork dev` on the real Docker engine: a files-only save is copied into the running
// container (same id) and SIGHUP makes the process reload; an env save replaces it; a container
// removed behind its back is back within 5 s and Ready; a save that does not compile changes
// nothing; a second dev on the same stack refuses; Ctrl-C leaves the stack running, --down not.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import { writeDevStack, type DevStack } from '../dev-stack.ts';
import { cleanup, clockwork, containersOf, docker, root, startClockwork, uniqueNamespace, type RunningCli } from './helpers.ts';

const namespace = uniqueNamespace('cwdev');
let stack: DevStack;
let dev: RunningCli;
let file: string;

beforeAll(async () => {
  stack = writeDevStack(root);
  file = relative(root, stack.file);
  dev = startClockwork(['dev', file, '-n', namespace, '--target', 'docker', '--dashboard-port', '0']);
  await dev.waitFor(/watching 3 files of/, 90_000);
}, 120_000);

afterAll(async () => {
  await dev?.interrupt();
  await cleanup(namespace);
  rmSync(stack.dir, { recursive: true, force: true });
}, 60_000);

const containerId = async (name: string) => (await containersOf(namespace)).get(name)?.id;
const execCat = async (id: string) => {
  const exec = await docker.getContainer(id).exec({ Cmd: ['cat', '/etc/app/config.txt'], AttachStdout: true });
  const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).subarray(8).toString('utf8');
};

describe('clockwork dev on Docker', () => {
  test('the first apply: every Resource Ready, their output followed; the dashboard served', async () => {
    expect(dev.stdout()).toMatch(/✓ 2\/2 resources Ready/);
    await dev.waitFor(/^web +\| started with version 1 and hello$/m);
    await dev.waitFor(/^helper +\| helper up$/m);
    const [, url] = await dev.waitFor(/^dashboard: (http:\/\/127\.0\.0\.1:\d+\/)$/m);
    const shown = (await (await fetch(`${url}api/stacks`)).json()) as { stacks: { namespace: string; resources: { name: string }[] }[] };
    expect(shown.stacks.map((s) => [s.namespace, s.resources.map((r) => r.name).sort()])).toEqual([[namespace, ['helper', 'web']]]);
  });

  test('a save of a file the stack reads updates it in the running container (same id) and sends SIGHUP, which the process takes', async () => {
    const before = await containerId('web');
    stack.setConfig('version 2');
    const live = await dev.waitFor(/web: files live (\d+\.\d+)s after the save, container ([0-9a-f]{12}) kept; reload: SIGHUP sent/);
    console.log(`[timing] docker, files-only save live (and SIGHUP sent) after ${live[1]}s`);
    expect(before!.startsWith(live[2]!)).toBe(true);
    await dev.waitFor(/^web +\| reloaded: version 2$/m);
    expect(await containerId('web')).toBe(before);
    expect(await execCat(before!)).toBe('version 2');
    expect(dev.stdout()).toContain('web: files changed (/etc/app/config.txt): updating them in place');
    expect(dev.stdout()).toMatch(/web: FilesUpdated — files updated in place \(\/etc\/app\/config.txt\); the workload keeps running/);
  }, 60_000);

  test('a save of a module that changes an env value replaces the container', async () => {
    const before = await containerId('web');
    const mark = dev.stdout().length;
    stack.setGreeting('bonjour');
    const applied = await dev.waitFor(/✓ applied (\d+\.\d+)s after the save/, 60_000, mark);
    console.log(`[timing] docker, env save applied (replaced, Ready) after ${applied[1]}s`);
    expect(dev.stdout().slice(mark)).toContain('web: env changed: replacing its workload');
    expect(dev.stdout().slice(mark)).toMatch(/web: Replaced/);
    await dev.waitFor(/^web +\| started with version 2 and bonjour$/m, 30_000, mark);
    expect(await containerId('web')).not.toBe(before);
  }, 60_000);

  test('a container removed behind its back is back within 5 s and Ready', async () => {
    const before = (await containerId('helper'))!;
    const removed = performance.now();
    await docker.getContainer(before).remove({ force: true });
    // Recreated (gone when looked at) or Repaired (seen while the engine was removing it).
    await dev.waitFor(/helper: (Recreated — workload was gone; recreated from|Repaired — workload repaired: container)/, 10_000);
    for (;;) {
      const now = (await containersOf(namespace)).get('helper');
      if (now && now.id !== before && now.running) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const back = (performance.now() - removed) / 1000;
    console.log(`[timing] docker, removed container back after ${back.toFixed(2)}s`);
    expect(back).toBeLessThan(5);
    const status = await clockwork(['status', file, '-n', namespace, '--target', 'docker']);
    expect(status.code).toBe(0);
  }, 30_000);

  test('a save that does not compile prints the errors and leaves the stack as it was', async () => {
    const before = await containersOf(namespace);
    stack.breakSettings();
    await dev.waitFor(/saved, but the stack no longer compiles; the running stack is left as it was:\n.*cannot be loaded: Expression expected\n.*settings\.ts:1/, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const after = await containersOf(namespace);
    expect([...after.values()].map((c) => [c.resource, c.id, c.running])).toEqual([...before.values()].map((c) => [c.resource, c.id, c.running]));
    stack.setGreeting('bonjour');
    await dev.waitFor(/settings\.ts saved: the stack did not change/, 30_000);
  }, 60_000);

  test('a second dev on the same stack and namespace refuses, naming the first', async () => {
    const second = await clockwork(['dev', file, '-n', namespace, '--target', 'docker']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`clockwork dev is already running for stack "${file.replace(/[./]/g, '\\$&')}" in namespace "${namespace}": .*pid \\d+ watching ${file.replace(/[./]/g, '\\$&')}`));
  }, 30_000);

  test('Ctrl-C stops watching and leaves the stack running; with --down it is torn down', async () => {
    expect(await dev.interrupt()).toBe(0);
    expect(dev.stdout()).toMatch(/stopped watching; the stack keeps running/);
    expect([...(await containersOf(namespace)).values()].every((c) => c.running)).toBe(true);

    const down = startClockwork(['dev', file, '-n', namespace, '--target', 'docker', '--down', '--no-dashboard']);
    await down.waitFor(/watching 3 files of/, 60_000);
    expect(await down.interrupt()).toBe(0);
    expect(down.stdout()).toMatch(/tearing down the stack/);
    expect((await containersOf(namespace)).size).toBe(0);
  }, 90_000);
});
