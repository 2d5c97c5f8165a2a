import { describe, expect, test } from '@jest/globals';
import { FrameDecoder } from '../../sdk/src/targets/docker/log-frames.ts';
import { ChangeCounter, inWriteOrder, LineSplitter, mergeAsync, normaliseTime, splitTimestamp, unixSeconds, type LogLine } from '../../sdk/src/targets/logs.ts';
import { renderLogTail, wantsFailureLogs } from '../../sdk/src/targets/failure-logs.ts';

const frame = (stream: number, text: string | Buffer) => {
  const body = typeof text === 'string' ? Buffer.from(text) : text;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe('Docker log stream decoding', () => {
  test('frames cut anywhere (even inside a header or a UTF-8 character) give whole lines per stream', () => {
    const bytes = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'err ✓\n'), frame(1, 'o\n'), frame(1, Buffer.from('é', 'utf8').subarray(0, 1)), frame(1, Buffer.concat([Buffer.from('é', 'utf8').subarray(1), Buffer.from('\n')]))]);
    for (const cut of [1, 3, 7, 9, 13, 20]) {
      const decoder = new FrameDecoder();
      const lines: string[] = [];
      for (let i = 0; i < bytes.length; i += cut) lines.push(...decoder.push(bytes.subarray(i, i + cut)));
      lines.push(...decoder.flush());
      expect(lines).toEqual(['one', 'err ✓', 'two', 'é']);
    }
  });

  test('a stream without frames (a TTY container) is read as text; a last line without newline is kept', () => {
    const decoder = new FrameDecoder();
    expect([...decoder.push(Buffer.from('plain text\nsecond line\nno newline')), ...decoder.flush()]).toEqual(['plain text', 'second line', 'no newline']);
  });
});

describe('log lines', () => {
  test('timestamps of both runtimes are split off and compare as strings', () => {
    expect(splitTimestamp('2026-01-02T03:04:05.123456789Z hello world')).toEqual({ time: '2026-01-02T03:04:05.123456789Z', text: 'hello world' });
    // The kubelet trims trailing zeros; normalised, .5 sorts after .123456789.
    expect(splitTimestamp('2026-01-02T03:04:05.5Z x').time).toBe('2026-01-02T03:04:05.500000000Z');
    expect(normaliseTime('2026-01-02T03:04:05+01:00')).toBe('2026-01-02T02:04:05.000000000Z');
    expect(splitTimestamp('no time here')).toEqual({ text: 'no time here' });
    expect(unixSeconds('2026-01-02T03:04:05.000000042Z')).toBe(`${Date.UTC(2026, 0, 2, 3, 4, 5) / 1000}.000000042`);
  });

  test('lines of several Resources come out in the order they were written; equal times keep their order', () => {
    const line = (resource: string, time: string | undefined, text: string): LogLine => ({ resource, text, kind: 'output', ...(time ? { time } : {}) });
    const lines = [line('db', '2026-01-01T00:00:02.000000000Z', 'db 2'), line('api', '2026-01-01T00:00:01.000000000Z', 'api 1'), line('db', '2026-01-01T00:00:01.000000000Z', 'db 1'), line('api', '2026-01-01T00:00:03.000000000Z', 'api 3')];
    expect(inWriteOrder(lines).map((l) => l.text)).toEqual(['api 1', 'db 1', 'db 2', 'api 3']);
  });

  test('a line split across chunks is joined; CRLF endings are trimmed', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('ab')).toEqual([]);
    expect(splitter.push('c\r\nde')).toEqual(['abc']);
    expect(splitter.flush()).toEqual(['de']);
  });

  test('mergeAsync yields items of every source as they come and ends when all have ended', async () => {
    const gate: { open?: () => void } = {};
    const opened = new Promise<void>((resolve) => (gate.open = resolve));
    async function* slow() {
      await opened;
      yield 'slow';
    }
    async function* fast() {
      yield 'fast 1';
      yield 'fast 2';
      gate.open!();
    }
    const seen: string[] = [];
    for await (const item of mergeAsync([slow(), fast()])) seen.push(item);
    expect(seen).toEqual(['fast 1', 'fast 2', 'slow']);
  });

  test('ChangeCounter: a change between reading the count and waiting is not missed; abort ends a wait', async () => {
    const changes = new ChangeCounter();
    const seen = changes.current('api');
    changes.bump('api');
    await changes.changed('api', seen, undefined);
    const later = changes.current('api');
    let done = false;
    const waiting = changes.changed('api', later, undefined).then(() => (done = true));
    changes.bump('db');
    await Promise.resolve();
    expect(done).toBe(false);
    changes.bump();
    await waiting;
    const abort = new AbortController();
    const aborted = changes.changed('api', changes.current('api'), abort.signal);
    abort.abort();
    await aborted;
  });
});

describe('failure logs', () => {
  const report = (reason: string, available: string) => ({
    name: 'api',
    ready: false,
    reason,
    message: '',
    assertionsSummary: '0/0',
    assertions: [],
    dependencies: [],
    conditions: [{ type: 'Available', status: 'False' as const, reason: available, message: '', lastTransitionTime: '' }],
  });

  test('a Resource whose container ran and failed gets its output; one that never ran does not', () => {
    expect(wantsFailureLogs(report('CrashLoopBackOff', 'CrashLoopBackOff'))).toBe(true);
    expect(wantsFailureLogs(report('Stalled', 'Stalled'))).toBe(true);
    expect(wantsFailureLogs(report('Exited', 'Exited'))).toBe(true);
    expect(wantsFailureLogs(report('ErrImagePull', 'ErrImagePull'))).toBe(false);
    expect(wantsFailureLogs(report('WaitingForDependencies', 'WaitingForDependencies'))).toBe(false);
    expect(wantsFailureLogs(report('Stalled', 'WaitingForDependencies'))).toBe(false);
  });

  test('the tail is printed indented under the error', () => {
    expect(renderLogTail(['starting', 'fatal: no config'])).toEqual(['    last 2 lines of its output:', '    | starting', '    | fatal: no config']);
    expect(renderLogTail([])).toEqual([]);
  });
});
