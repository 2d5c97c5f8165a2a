import { describe, expect, test } from '@jest/globals';
import { TerminalError } from '../../sdk/src/api/index.ts';
import { WorkQueue, type Clock } from '../../sdk/src/engine/index.ts';

/** A clock the test advances by hand: backoff is checked without sleeping. */
function manualClock() {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  };
  return { clock, advance, pending: () => timers.map((t) => t.at - now) };
}

describe('WorkQueue', () => {
  test('a key is queued once however many times it is added', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  test('a key being processed is not handed out again; an add meanwhile requeues it after done', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    const key = await q.get();
    q.add('a');
    expect(q.length).toBe(0);
    q.done(key!);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
  });

  test('failures back off exponentially per key; forget resets', () => {
    const { clock } = manualClock();
    const q = new WorkQueue<string>({ clock, baseDelayMs: 100, maxDelayMs: 1000 });
    expect([1, 2, 3, 4, 5].map(() => q.addRateLimited('a'))).toEqual([100, 200, 400, 800, 1000]);
    expect(q.addRateLimited('b')).toBe(100);
    q.forget('a');
    expect(q.addRateLimited('a')).toBe(100);
  });

  test('the global rate limit spaces out retries beyond the burst', () => {
    const { clock } = manualClock();
    const q = new WorkQueue<string>({ clock, baseDelayMs: 1, qps: 10, burst: 2 });
    const delays = ['a', 'b', 'c', 'd'].map((k) => q.addRateLimited(k));
    expect(delays).toEqual([1, 1, 100, 200]);
  });

  test('addAfter keeps the earliest pending time', () => {
    const { clock, advance } = manualClock();
    const q = new WorkQueue<string>({ clock });
    q.addAfter('a', 500);
    q.addAfter('a', 1000);
    q.addAfter('a', 200);
    advance(199);
    expect(q.length).toBe(0);
    advance(1);
    expect(q.length).toBe(1);
    advance(1000);
    expect(q.length).toBe(1);
  });

  test('run: workers never process one key concurrently; errors are retried', async () => {
    const q = new WorkQueue<string>({ baseDelayMs: 1 });
    const active = new Set<string>();
    let overlaps = 0;
    let failuresLeft = 2;
    const seen: string[] = [];
    const running = q.run(3, async (key) => {
      if (active.has(key)) overlaps++;
      active.add(key);
      await new Promise((r) => setTimeout(r, 5));
      active.delete(key);
      seen.push(key);
      if (key === 'flaky' && failuresLeft-- > 0) throw new Error('boom');
    });
    for (let i = 0; i < 20; i++) q.add(i % 2 ? 'x' : 'flaky');
    await new Promise((r) => setTimeout(r, 150));
    q.shutdown();
    await running;
    expect(overlaps).toBe(0);
    expect(seen.filter((k) => k === 'flaky').length).toBeGreaterThanOrEqual(3);
    expect(seen).toContain('x');
  });

  test('run: a TerminalError is reported once and not retried; the key comes back only when added again', async () => {
    const { clock, advance, pending } = manualClock();
    const q = new WorkQueue<string>({ clock, baseDelayMs: 10 });
    const calls: string[] = [];
    const reported: (number | undefined)[] = [];
    const running = q.run(
      1,
      async (key) => {
        calls.push(key);
        throw new TerminalError(`${key} was rejected for good`);
      },
      (_key, _error, retryInMs) => reported.push(retryInMs),
    );
    q.add('rejected');
    await new Promise((r) => setImmediate(r));
    advance(60_000);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['rejected']);
    expect(reported).toEqual([undefined]);
    expect(pending()).toEqual([]);
    q.add('rejected');
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['rejected', 'rejected']);
    q.shutdown();
    await running;
  });

  test('shutdown releases waiting workers', async () => {
    const q = new WorkQueue<string>();
    const waiting = q.get();
    q.shutdown();
    expect(await waiting).toBeUndefined();
  });
});
