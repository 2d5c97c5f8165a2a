// `clockwork logs` on the real Docker engine: prefixed lines per Resource, Composites, --tail,
// --previous, and -f following a container across a restart and a replacement.
import { afterAll, describe, expect, test } from '@jest/globals';
import { cleanup, clockwork, docker, fixture, startClockwork, uniqueNamespace } from './helpers.ts';

const namespaces: string[] = [];
const ns = (prefix: string) => {
  const n = uniqueNamespace(prefix);
  namespaces.push(n);
  return n;
};
afterAll(() => Promise.all(namespaces.map(cleanup)));

const stack = fixture('ticker.ts');
const count = (text: string, line: string) => text.split('\n').filter((l) => l === line).length;

describe('clockwork logs on Docker', () => {
  test('every Resource of the stack, prefixed; a Composite means its Resources; --tail and --timestamps', async () => {
    const namespace = ns('cwlogs');
    expect((await clockwork(['apply', stack, '-n', namespace, '--target', 'docker'])).code).toBe(0);
    const whole = await clockwork(['logs', stack, '-n', namespace, '--target', 'docker']);
    expect(whole.code).toBe(0);
    expect(whole.stdout).toContain('chatty | hello from chatty\n');
    expect(whole.stdout).toContain('ticker | start a\n');
    expect(whole.stdout).toMatch(/^ticker \| tick a 1$/m);

    const composite = await clockwork(['logs', stack, 'tickers', '-n', namespace, '--target', 'docker', '--tail', '2', '--timestamps']);
    expect(composite.code).toBe(0);
    const lines = composite.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^ticker \| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (tick a \d+|start a)$/);

    const unknown = await clockwork(['logs', stack, 'nope', '-n', namespace, '--target', 'docker']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no Resource or Composite named "nope" (it has: chatty, ticker, tickers (composite))');
  }, 60_000);

  test('-f follows a container across a restart (nothing shown twice) and picks up the container that replaces it; --previous shows the run before the restart', async () => {
    const namespace = ns('cwfollow');
    expect((await clockwork(['apply', stack, '-n', namespace, '--target', 'docker'])).code).toBe(0);
    const follow = startClockwork(['logs', stack, 'ticker', '-n', namespace, '--target', 'docker', '-f']);
    try {
      await follow.waitFor(/^ticker \| tick a 3$/m);
      await docker.getContainer(`clockwork-${namespace}-ticker`).restart({ t: 1 });
      // (`container exited with code …` comes first when the log stream ends before the engine
      // has started it again; a quick restart may beat that.)
      await follow.waitFor(/container restarted\n(.|\n)*^ticker \| tick a 2$/m);
      // The first run's lines once, the second run's from its start: `tick a 1` exactly twice.
      expect(count(follow.stdout(), 'ticker | tick a 1')).toBe(2);

      const previous = await clockwork(['logs', stack, 'ticker', '-n', namespace, '--target', 'docker', '--previous']);
      expect(previous.code).toBe(0);
      expect(count(previous.stdout, 'ticker | tick a 1')).toBe(1);
      expect(previous.stdout).toContain('ticker | start a\n');

      await docker.getContainer(`clockwork-${namespace}-ticker`).remove({ force: true });
      await follow.waitFor(/container removed; waiting for a new one/);
      expect((await clockwork(['apply', stack, '-n', namespace, '--target', 'docker'], { TICKER_TAG: 'b' })).code).toBe(0);
      await follow.waitFor(/── new container [0-9a-f]{12}\n(.|\n)*^ticker \| tick b 2$/m);
      expect(follow.stdout()).toContain('ticker | start b\n');
    } finally {
      expect(await follow.interrupt()).toBe(0);
    }
  }, 90_000);
});
