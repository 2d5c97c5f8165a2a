import { expect, test } from '@jest/globals';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import winston from 'winston';
import { Informer } from '../../sdk/src/kubernetes/index.ts';
import { DependentsIndex } from '../../sdk/src/graph/index.ts';

const logger = winston.createLogger({ silent: true, transports: [new winston.transports.Console()] });
const obj = (name: string, rv: string): KubernetesObject => ({ metadata: { name, namespace: 'ns', resourceVersion: rv } });

type Done = (err: unknown) => void;
type Callback = (type: string, object: unknown) => void;

/** A scripted watch: each call takes the next step, which drives the callback and ends the watch. */
function scriptedWatch(steps: ((cb: Callback, done: Done, rv: string) => void)[]) {
  const calls: string[] = [];
  return {
    calls,
    watch: async (_path: string, query: Record<string, unknown>, cb: Callback, done: Done) => {
      calls.push(String(query.resourceVersion));
      const step = steps.shift();
      if (step) setImmediate(() => step(cb, done, String(query.resourceVersion)));
      return new AbortController();
    },
  };
}

test('lists, watches from the list resourceVersion, relists on 410, restarts after errors with backoff', async () => {
  const lists = [{ items: [obj('a', '1')], metadata: { resourceVersion: '10' } }, { items: [obj('b', '20')], metadata: { resourceVersion: '20' } }, { items: [obj('b', '21')], metadata: { resourceVersion: '30' } }];
  let listCalls = 0;
  const delays: number[] = [];
  const watch = scriptedWatch([
    (cb, done) => {
      cb('ADDED', obj('c', '11'));
      cb('MODIFIED', obj('a', '12'));
      done(null); // closed by the server: resume from the last resourceVersion
    },
    (_cb, done) => done(Object.assign(new Error('Gone'), { statusCode: 410 })), // relist at once
    (_cb, done) => done(new Error('connection reset')), // restart after a backoff
  ]);
  const events: string[] = [];
  const informer = new Informer<KubernetesObject>({
    name: 'test',
    list: async () => lists[Math.min(listCalls++, lists.length - 1)]!,
    watchPath: '/x',
    kubeConfig: {} as KubeConfig,
    logger,
    watch,
    delay: async (ms) => {
      delays.push(ms);
    },
  });
  informer.on({ onAdd: (o) => events.push(`add ${o.metadata!.name}`), onUpdate: (_p, o) => events.push(`update ${o.metadata!.name}@${o.metadata!.resourceVersion}`), onDelete: (o) => events.push(`delete ${o.metadata!.name}`) });
  await informer.start();
  await new Promise((r) => setTimeout(r, 50));
  informer.stop();
  expect(watch.calls.slice(0, 4)).toEqual(['10', '12', '20', '30']);
  expect(listCalls).toBe(3);
  expect(delays).toEqual([500]);
  expect(events).toEqual(['add a', 'add c', 'update a@12', 'delete a', 'delete c', 'add b', 'update b@21']);
  expect(informer.list().map((o) => o.metadata!.name)).toEqual(['b']);
});

test('dependents index: dependency → dependents, updated and removed', () => {
  const index = new DependentsIndex();
  index.set('ns/api', ['ns/db', 'composite:ns/infra']);
  index.set('ns/web', ['ns/api']);
  expect(index.dependentsOf('ns/db')).toEqual(['ns/api']);
  expect(index.dependentsOf('composite:ns/infra')).toEqual(['ns/api']);
  index.set('ns/api', ['ns/cache']);
  expect(index.dependentsOf('ns/db')).toEqual([]);
  index.remove('ns/web');
  expect(index.dependentsOf('ns/api')).toEqual([]);
});
