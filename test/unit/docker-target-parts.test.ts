import { describe, expect, test } from '@jest/globals';
import { demuxLogs, lastLines } from '../../sdk/src/targets/docker/log-frames.ts';
import { withTag } from '../../sdk/src/targets/docker/image-puller.ts';
import { applyProbeResult, INITIAL_PROBE_STATE, nextProbeDelayMs, ReadinessProber, type ProbeState } from '../../sdk/src/targets/docker/prober.ts';
import { parseQuantity } from '../../sdk/src/targets/docker/quantity.ts';
import { tarArchive } from '../../sdk/src/targets/docker/tar.ts';
import { teardownWaves } from '../../sdk/src/targets/docker/docker-target.ts';
import { containerName, networkName } from '../../sdk/src/targets/docker/names.ts';
import { desiredWorkload, StateGraph, type Clock } from '../../sdk/src/engine/index.ts';
import { containerSpec } from '../../sdk/src/targets/docker/container-spec.ts';
import { recordedObjects } from '../../sdk/src/targets/docker/recorded-objects.ts';
import { MemoryStateView } from '../../sdk/src/targets/memory-state-view.ts';
import { compileStack, emitObjects } from '../../sdk/src/index.ts';
import { seedStack } from './fixtures.ts';

const frame = (stream: number, text: string) => {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe('log frames', () => {
  test('stdout and stderr frames are joined in order', () => {
    expect(demuxLogs(Buffer.concat([frame(1, 'one\n'), frame(2, 'two\n'), frame(1, 'three\n')]))).toBe('one\ntwo\nthree\n');
  });
  test('a TTY log (no frames) is returned as is', () => {
    expect(demuxLogs(Buffer.from('plain text\n'))).toBe('plain text\n');
  });
  test('lastLines keeps the last non-empty lines', () => {
    expect(lastLines('a\n\nb\nc\n', 2)).toEqual(['b', 'c']);
  });
});

describe('tar archive for files', () => {
  const readEntry = (archive: Buffer, offset: number) => {
    const field = (start: number, length: number) => archive.subarray(offset + start, offset + start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12), 8);
    const stored = parseInt(field(148, 8), 8);
    const header = Buffer.from(archive.subarray(offset, offset + 512));
    header.fill(' ', 148, 156);
    const sum = header.reduce((a, b) => a + b, 0);
    return { name: field(0, 100), prefix: field(345, 155), size, checksumOk: sum === stored, body: archive.subarray(offset + 512, offset + 512 + size).toString() };
  };

  test('one ustar entry per file, relative path, valid checksum, padded to blocks', () => {
    const archive = tarArchive([{ path: '/etc/prometheus/prometheus.yml', content: 'scrape_configs: []\n' }, { path: '/www/index.html', content: 'hi' }]);
    expect(archive.length % 512).toBe(0);
    const first = readEntry(archive, 0);
    expect(first).toMatchObject({ name: 'etc/prometheus/prometheus.yml', size: 19, checksumOk: true, body: 'scrape_configs: []\n' });
    const second = readEntry(archive, 1024);
    expect(second).toMatchObject({ name: 'www/index.html', size: 2, checksumOk: true, body: 'hi' });
    expect(archive.subarray(2048).every((b) => b === 0)).toBe(true);
  });

  test('long paths use the ustar prefix', () => {
    const dir = `/${'d'.repeat(80)}/${'e'.repeat(40)}`;
    const entry = readEntry(tarArchive([{ path: `${dir}/file.txt`, content: 'x' }]), 0);
    expect(`${entry.prefix}/${entry.name}`).toBe(`${dir.slice(1)}/file.txt`);
    expect(entry.checksumOk).toBe(true);
  });
});

describe('readiness probing', () => {
  test('until first Ready: host-side probes every 100 ms, exec probes from 100 ms up to 250 ms; then periodSeconds', () => {
    const delays: number[] = [];
    const execDelays: number[] = [];
    let state: ProbeState = INITIAL_PROBE_STATE;
    for (let i = 0; i < 5; i++) {
      delays.push(nextProbeDelayMs(state, { tcpSocket: { port: 1 }, periodSeconds: 5 }));
      execDelays.push(nextProbeDelayMs(state, { exec: { command: ['true'] }, periodSeconds: 5 }));
      state = applyProbeResult(state, { ok: false, message: 'refused' }, undefined);
    }
    expect(delays).toEqual([100, 100, 100, 100, 100]);
    expect(execDelays).toEqual([100, 100, 150, 225, 250]);
    state = applyProbeResult(state, { ok: true, message: 'ok' }, undefined);
    expect(state.ready).toBe(true);
    expect(nextProbeDelayMs(state, { tcpSocket: { port: 1 }, periodSeconds: 5 })).toBe(5000);
  });

  test('successThreshold to turn Ready; failureThreshold to lose it', () => {
    const spec = { exec: { command: ['true'] }, successThreshold: 2, failureThreshold: 2 };
    let s = applyProbeResult(INITIAL_PROBE_STATE, { ok: true, message: '' }, spec);
    expect(s.ready).toBe(false);
    s = applyProbeResult(s, { ok: true, message: '' }, spec);
    expect(s.ready).toBe(true);
    s = applyProbeResult(s, { ok: false, message: 'x' }, spec);
    expect(s.ready).toBe(true);
    s = applyProbeResult(s, { ok: false, message: 'x' }, spec);
    expect(s).toMatchObject({ ready: false, everReady: true, message: 'x' });
  });

  test('the prober calls onChange when Ready flips (fake clock, no sleeping)', async () => {
    const timers: { at: number; fn: () => void }[] = [];
    let now = 0;
    const clock: Clock = { now: () => now, setTimeout: (fn, ms) => timers.push({ at: now + ms, fn }), clearTimeout: () => undefined };
    const answers = [false, false, true];
    const changes: boolean[] = [];
    const prober = new ReadinessProber({ spec: { tcpSocket: { port: 1 } }, clock, probe: async () => ({ ok: answers.shift() ?? true, message: '' }), onChange: (s) => changes.push(s.ready) });
    prober.start();
    for (let i = 0; i < 3; i++) {
      const next = timers.sort((a, b) => a.at - b.at).shift()!;
      now = next.at;
      next.fn();
      await new Promise((r) => setImmediate(r));
    }
    expect(changes).toEqual([false, true]);
    expect(now).toBe(0 + 100 + 100); // probed at once, then every 100 ms until Ready
    prober.stop();
  });
});

describe('naming, quantities, images, teardown order', () => {
  test('network and container names', () => {
    expect(networkName('shop')).toBe('clockwork-shop');
    expect(containerName('shop', 'postgres-db')).toBe('clockwork-shop-postgres-db');
  });

  test('quantities', () => {
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('256Mi')).toBe(256 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity('lots')).toBeUndefined();
  });

  test('an image without a tag is pulled as :latest', () => {
    expect(withTag('busybox')).toBe('busybox:latest');
    expect(withTag('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(withTag('prom/prometheus:v2.53.4')).toBe('prom/prometheus:v2.53.4');
    expect(withTag('app@sha256:abc')).toBe('app@sha256:abc');
  });

  test('teardown goes dependents first, composites expanded, from the labels alone', () => {
    const waves = teardownWaves([
      { resource: 'prometheus', dependsOn: [] },
      { resource: 'postgres-db', dependsOn: [], composite: 'webapp' },
      { resource: 'api-service', dependsOn: ['postgres-db', 'prometheus'], composite: 'webapp' },
      { resource: 'frontend', dependsOn: ['composite:webapp'] },
      { resource: 'orphan', dependsOn: ['gone'] },
    ]);
    expect(waves).toEqual([['frontend', 'orphan'], ['api-service'], ['postgres-db', 'prometheus']]);
    expect(teardownWaves([])).toEqual([]);
  });
});

describe('the container a Workload becomes', () => {
  const { items } = seedStack();
  const view = new MemoryStateView(emitObjects(compileStack(items, { namespace: 'shop' })));
  const api = view.getResource('shop', 'api-service')!;
  const workload = desiredWorkload(api, { dependencies: [{ name: 'postgres-db', host: 'postgres-db', port: 5432 }], ancestors: new StateGraph(view).ancestorsOf(api) });
  const spec = containerSpec(workload, { network: networkName('shop') });

  test('on the namespace network under its name, with the injected env', () => {
    expect(spec).toMatchObject({ name: containerName('shop', 'api-service'), Hostname: 'api-service', HostConfig: { NetworkMode: 'clockwork-shop', Init: true } });
    expect(spec.NetworkingConfig).toEqual({ EndpointsConfig: { 'clockwork-shop': { Aliases: ['api-service'] } } });
    expect(spec.Env).toContain('POSTGRES_DB_HOST=postgres-db');
  });

  test('its labels hold what teardown and status --all read back: hash, dependencies, composite, the objects as applied', () => {
    const labels = spec.Labels!;
    expect(labels['clockwork.dev/spec-hash']).toBe(workload.hash);
    expect(labels['clockwork.dev/depends-on']!.split(',').sort()).toEqual(['postgres-db', 'prometheus']);
    expect(labels['clockwork.dev/composite']).toBe('webapp');
    const recorded = recordedObjects(labels['clockwork.dev/objects']);
    expect(recorded.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Composite/webapp', 'Resource/api-service']);
    expect(recorded.every((o) => !('status' in o))).toBe(true);
  });

  test('where a workload comes from is not part of its hash: a new uid or Composite never replaces it', () => {
    const moved = { ...api, metadata: { ...api.metadata, uid: 'another-uid' } };
    expect(desiredWorkload(moved, { dependencies: [{ name: 'postgres-db', host: 'postgres-db', port: 5432 }] }).hash).toBe(workload.hash);
  });
});
