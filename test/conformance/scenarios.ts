// The conformance table: scenarios every backend must pass with the same observable results,
// read only through the Target interface (apply, status, destroy) — what a user of either target
// sees. A scenario is a name and a function of a Stage; add one by appending to `scenarios`.
// Data checks go through the workload itself (a readiness probe that looks at the volume, a task
// that refuses to run twice), so nothing here knows a backend.
import { expect } from '@jest/globals';
import { Resource, type ResourceOptions } from '../../sdk/src/index.ts';
import type { DestroyReport, ResourceReport, StackReport } from '../../sdk/src/targets/target.ts';
import { testImages } from '../harness/index.ts';

/** What a scenario can do on the backend under test, in its own namespace. */
export interface Stage {
  readonly backend: 'docker' | 'kubernetes';
  apply(items: Resource[], options?: { timeoutSeconds?: number }): Promise<StackReport>;
  status(items: Resource[]): Promise<StackReport>;
  destroy(items: Resource[], options?: { volumes?: boolean }): Promise<DestroyReport>;
  /** The last lines a Resource's process printed (what `apply` shows under a failure). */
  logTail(resource: string, lines?: number): Promise<string[]>;
  /** What `clockwork logs <resource>` prints (`--previous`: the instance before the last restart), without prefixes. */
  logs(resource: string, options?: { previous?: boolean }): Promise<string[]>;
  /** Polls status until `resource`'s report satisfies `until`; fails naming the last report. */
  waitFor(items: Resource[], resource: string, what: string, until: (r: ResourceReport) => boolean, timeoutSeconds?: number): Promise<ResourceReport>;
}

export interface Scenario {
  name: string;
  run(stage: Stage): Promise<void>;
}

const busybox = (name: string, options: Omit<ResourceOptions, 'name' | 'image'>) => new Resource({ name, image: testImages.busybox, ...options });
const sh = (script: string) => ['sh', '-c', script];
const resourceOf = (report: StackReport, name: string) => report.resources.find((r) => r.name === name)!;

/** Prints `first` and exits 1 on its first start only (its volume remembers), then prints `then` and stays. */
const crashesOnce = (name: string, first: string, then: string) =>
  busybox(name, {
    command: sh(`if [ ! -e /data/crashed ]; then touch /data/crashed; echo "${first}"; exit 1; fi; echo "${then}"; exec sleep 3600`),
    volumes: [{ name: 'data', mountPath: '/data' }],
  });

/** Applies the stack (its first run fails) and waits until `name` is Ready after a restart. */
async function restartedOnce(stage: Stage, stack: () => Resource[], name: string): Promise<ResourceReport> {
  await stage.apply(stack(), { timeoutSeconds: 60 }).catch(() => undefined);
  return stage.waitFor(stack(), name, 'Ready after one restart', (r) => r.ready && (r.restarts ?? 0) >= 1, 90);
}

/**
 * A server that appends its generation to its volume at each start and is Ready only when the
 * volume holds exactly `expect` (so a lost or unexpected volume shows as a readiness that never comes).
 */
function store(generation: number, expectLines: string[]): Resource {
  return busybox('store', {
    command: sh('echo "$GENERATION" >> /data/generations; exec sleep 3600'),
    env: { GENERATION: String(generation) },
    volumes: [{ name: 'data', mountPath: '/data' }],
    readiness: { exec: { command: sh(`test "$(cat /data/generations | tr '\\n' ' ')" = "${expectLines.join(' ')} "`) }, periodSeconds: 1 },
  });
}

const readyIn = (report: StackReport, name: string) => expect(resourceOf(report, name)).toMatchObject({ ready: true });

export const scenarios: Scenario[] = [
  {
    name: 'a volume survives the replacement of its workload',
    async run(stage) {
      readyIn(await stage.apply([store(1, ['1'])]), 'store');
      // A changed env replaces the workload; its readiness needs the first generation's line.
      const report = await stage.apply([store(2, ['1', '2'])]);
      readyIn(report, 'store');
      expect(resourceOf(report, 'store').message).not.toMatch(/restarted/);
    },
  },
  {
    name: 'destroy keeps the volume, and the next apply uses it again',
    async run(stage) {
      readyIn(await stage.apply([store(1, ['1'])]), 'store');
      const destroyed = await stage.destroy([store(1, ['1'])]);
      expect(destroyed.volumesRemoved).toEqual([]);
      expect(destroyed.volumesKept).toEqual([expect.objectContaining({ resource: 'store', volume: 'data' })]);
      readyIn(await stage.apply([store(2, ['1', '2'])]), 'store');
    },
  },
  {
    name: 'destroy --volumes removes the volume: the next apply starts empty',
    async run(stage) {
      readyIn(await stage.apply([store(1, ['1'])]), 'store');
      const destroyed = await stage.destroy([store(1, ['1'])], { volumes: true });
      expect(destroyed.volumesRemoved).toEqual([expect.objectContaining({ resource: 'store', volume: 'data' })]);
      expect(destroyed.volumesKept).toEqual([]);
      readyIn(await stage.apply([store(2, ['2'])]), 'store');
    },
  },
  {
    name: 'a task runs once to completion, its dependent starts after it, and it is not run again',
    async run(stage) {
      const stack = () => {
        // It refuses to run a second time: a rerun would turn it Failed.
        const migrate = busybox('migrate', {
          run: 'once',
          command: sh('if [ -e /data/migrated ]; then echo "already migrated: run twice"; exit 9; fi; echo migrating; touch /data/migrated'),
          volumes: [{ name: 'data', mountPath: '/data' }],
        });
        const api = busybox('api', { command: sh('exec sleep 3600') });
        api.connect(migrate);
        return [migrate, api];
      };
      const first = await stage.apply(stack());
      expect(resourceOf(first, 'migrate')).toMatchObject({ ready: true, reason: 'Completed' });
      readyIn(first, 'api');
      const second = await stage.apply(stack());
      expect(resourceOf(second, 'migrate')).toMatchObject({ ready: true, reason: 'Completed' });
      expect((await stage.status(stack())).resources.find((r) => r.name === 'migrate')).toMatchObject({ ready: true, reason: 'Completed' });
    },
  },
  {
    name: 'a task that fails is reported Failed with its exit code and last log lines; its dependent never starts',
    async run(stage) {
      const stack = () => {
        const migrate = busybox('migrate', { run: 'once', backoffLimit: 1, command: sh('echo "applying 0007_items"; echo "ERROR: relation items already exists" >&2; exit 4') });
        const api = busybox('api', { command: sh('exec sleep 3600') });
        api.connect(migrate);
        return [migrate, api];
      };
      const report = await stage.apply(stack(), { timeoutSeconds: 120 });
      const migrate = resourceOf(report, 'migrate');
      expect(migrate).toMatchObject({ ready: false, reason: 'Failed' });
      expect(migrate.message).toMatch(/^task failed: exit code 4 on attempt 2 of 2 \(backoffLimit 1\); last log lines:/);
      expect(migrate.message).toContain('ERROR: relation items already exists');
      // Its dependency will not recover without a change: the dependent says so (it may take a status write to get there).
      const api = await stage.waitFor(stack(), 'api', 'DependencyFailed', (r) => r.reason === 'DependencyFailed', 30);
      expect(api.ready).toBe(false);
      expect((await stage.status(stack())).resources.find((r) => r.name === 'migrate')).toMatchObject({ reason: 'Failed' });
    },
  },
  {
    name: 'a process that crashes is restarted, and the restart is counted',
    async run(stage) {
      const stack = () => [crashesOnce('flaky', 'crashing once', 'back')];
      const flaky = await restartedOnce(stage, stack, 'flaky');
      expect(flaky.restarts).toBe(1);
      expect(flaky.message).not.toBe('');
    },
  },
  {
    name: 'logs: the running instance\'s lines, and with --previous the run before the restart',
    async run(stage) {
      const stack = () => [crashesOnce('chatty', 'first run', 'second run')];
      await restartedOnce(stage, stack, 'chatty');
      expect(await stage.logs('chatty')).toContain('second run');
      const previous = await stage.logs('chatty', { previous: true });
      expect(previous).toContain('first run');
      expect(previous).not.toContain('second run');
    },
  },
  {
    name: 'a process that keeps crashing is reported as CrashLoopBackOff with its restarts and last lines',
    async run(stage) {
      const stack = () => [busybox('looping', { command: sh('echo "cannot start: missing config"; exit 2') })];
      await stage.apply(stack(), { timeoutSeconds: 60 }).catch(() => undefined);
      const looping = await stage.waitFor(stack(), 'looping', 'CrashLoopBackOff after 2 restarts', (r) => r.reason === 'CrashLoopBackOff' && (r.restarts ?? 0) >= 2, 120);
      expect(looping.ready).toBe(false);
      expect(looping.message).toMatch(/^the process keeps exiting: restarted \d+ times, waiting out a back-off before the next start; last exit code 2$/);
      expect(await stage.logTail('looping')).toContain('cannot start: missing config');
    },
  },
];
