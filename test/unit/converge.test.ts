import { describe, expect, test } from '@jest/globals';
import { Composite, Resource, compileStack, emitObjects } from '../../sdk/src/index.ts';
import { rootBlockers, StateGraph, type ObservedWorkload, type Workload, type WorkloadBackend, type WorkloadKey, type WorkloadState } from '../../sdk/src/engine/index.ts';
import { converge } from '../../sdk/src/targets/converge.ts';
import { MemoryStateView } from '../../sdk/src/targets/memory-state-view.ts';
import { selectTarget, NoTargetError } from '../../sdk/src/targets/select-target.ts';

/** A backend whose workloads become Ready `startMs` after creation, or fail, and wake the loop. */
class FakeBackend implements WorkloadBackend {
  readonly workloads = new Map<string, { hash: string; state: WorkloadState }>();
  readonly created: { name: string; at: number }[] = [];
  wake: (name: string) => void = () => undefined;
  readonly #startMs: Record<string, number>;
  readonly #fails: Set<string>;
  readonly #t0 = performance.now();

  constructor(startMs: Record<string, number>, fails: string[] = []) {
    this.#startMs = startMs;
    this.#fails = new Set(fails);
  }

  hostOf(w: WorkloadKey) {
    return w.name;
  }

  async observe(w: Workload): Promise<ObservedWorkload | undefined> {
    return this.workloads.get(w.name);
  }

  async apply(w: Workload): Promise<void> {
    const name = w.name;
    this.created.push({ name, at: performance.now() - this.#t0 });
    if (this.#fails.has(name)) {
      this.workloads.set(name, { hash: w.hash, state: { ready: false, failed: true, reason: 'Exited', message: 'exited with code 1' } });
      return;
    }
    this.workloads.set(name, { hash: w.hash, state: { ready: false, reason: 'Starting', message: 'starting' } });
    setTimeout(() => {
      this.workloads.set(name, { hash: w.hash, state: { ready: true, reason: 'Ready', message: 'ready' } });
      this.wake(name);
    }, this.#startMs[name] ?? 0);
  }

  assertionTarget() {
    const none = () => Promise.reject(new Error('no assertions in these tests'));
    return { httpGet: none, tcpConnect: none, running: none, logs: none };
  }
}

const image = 'example/app:1';
function seed() {
  const prometheus = new Resource({ name: 'prometheus', image });
  const db = new Resource({ name: 'postgres-db', image });
  const api = new Resource({ name: 'api-service', image }).connect(db, prometheus);
  const web = new Resource({ name: 'web', image });
  const webapp = new Composite({ name: 'webapp' }).add(db, api);
  web.connect(webapp);
  return [prometheus, webapp, web];
}

async function run(startMs: Record<string, number>, fails: string[] = []) {
  const view = new MemoryStateView(emitObjects(compileStack(seed(), { namespace: 'test' })));
  const backend = new FakeBackend(startMs, fails);
  const transitions: string[] = [];
  const result = await converge({
    view,
    backend,
    timeoutMs: 5_000,
    setWaker: (wake) => (backend.wake = wake),
    onTransition: (r, t) => transitions.push(`${r.metadata.name}:${t.reason}`),
  });
  return { result, backend, view, transitions };
}

describe('converge: the shared engine over a stack in memory', () => {
  test('dependencies first, independent branches in parallel, dependents woken when Ready flips', async () => {
    const { result, backend } = await run({ prometheus: 60, 'postgres-db': 30, 'api-service': 30, web: 10 });
    expect(result).toMatchObject({ ready: true, timedOut: false });
    const at = Object.fromEntries(backend.created.map((c) => [c.name, c.at]));
    expect(backend.created.map((c) => c.name).slice(0, 2).sort()).toEqual(['postgres-db', 'prometheus']);
    expect(at['api-service']! - at.prometheus!).toBeGreaterThanOrEqual(55);
    expect(at.web! - at['api-service']!).toBeGreaterThanOrEqual(25);
    expect(backend.created).toHaveLength(4);
  });

  test('a failed workload blocks its dependents and ends the run without waiting for the timeout', async () => {
    const { result, backend, view } = await run({ prometheus: 5, 'postgres-db': 5 }, ['postgres-db']);
    // Not timed out: the run ended because nothing could progress, not at the deadline.
    expect(result).toMatchObject({ ready: false, timedOut: false });
    expect(backend.created.map((c) => c.name).sort()).toEqual(['postgres-db', 'prometheus']);
    const api = view.getResource('test', 'api-service')!;
    const ready = api.status!.conditions!.find((c) => c.type === 'Ready')!;
    expect(ready.reason).toBe('WaitingForDependencies');
    // Its status names the dependency; the root and why are found when the stack is read.
    expect(ready.message).toBe('waiting for test/postgres-db');
    expect(rootBlockers(api, new StateGraph(view))).toEqual([{ key: 'test/postgres-db', message: expect.stringContaining('exited with code 1') }]);
  });

  test('the dependency model over a MemoryStateView walks composites both ways', () => {
    const view = new MemoryStateView(emitObjects(compileStack(seed(), { namespace: 'test' })));
    const graph = new StateGraph(view);
    const api = view.getResource('test', 'api-service')!;
    expect(graph.ancestorsOf(api).map((c) => c.metadata.name)).toEqual(['webapp']);
    expect(graph.descendantsOf(view.getComposite('test', 'webapp')!).map((r) => r.metadata.name).sort()).toEqual(['api-service', 'postgres-db']);
    const web = view.getResource('test', 'web')!;
    expect(graph.dependenciesOf(web).map((r) => r.metadata.name).sort()).toEqual(['api-service', 'postgres-db']);
  });
});

describe('selectTarget', () => {
  const no = async () => ({ ok: false, detail: 'nothing there' });
  const yes = async () => ({ ok: true, detail: 'answered' });

  test('auto: Kubernetes when the context answers and has the CRDs', async () => {
    expect((await selectTarget({ target: 'auto', stackName: 's', probeKubernetes: yes, probeDocker: yes })).kind).toBe('kubernetes');
    expect((await selectTarget({ target: 'kubernetes', stackName: 's' })).kind).toBe('kubernetes');
  });

  test('auto: Docker when Kubernetes does not answer', async () => {
    const target = await selectTarget({ target: 'auto', stackName: 's', probeKubernetes: no, probeDocker: yes });
    expect(target.kind).toBe('docker');
  });

  test('auto: a clear error listing what was tried', async () => {
    const error = await selectTarget({ target: 'auto', stackName: 's', probeKubernetes: no, probeDocker: no }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(NoTargetError);
    expect((error as Error).message).toBe('no target available:\n  - Kubernetes: nothing there\n  - Docker: nothing there');
  });
});
