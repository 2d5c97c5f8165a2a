// `clockwork logs` on the real node through the Pod log API: prefixed lines per Resource, -f
// across a container restart (the kubelet restarts it) and a Pod replacement, --previous, and a
// crashing Resource's output under the apply error.
import { describe, expect, test } from '@jest/globals';
import { clockwork, fixture, startClockwork } from '../docker/helpers.ts';
import { kubectl, operatorPerFile } from '../../integration/operator/support.ts';

const { namespace } = operatorPerFile();
const stack = fixture('ticker.ts');
const count = (text: string, line: string) => text.split('\n').filter((l) => l === line).length;

describe('clockwork logs on Kubernetes (real node)', () => {
  test('the whole stack or a Composite, prefixed; -f follows a restart and a replacing Pod; --previous shows the run before the restart', async () => {
    const ns = await namespace('logs');
    const k8s = ['-n', ns, '--target', 'kubernetes'];
    expect((await clockwork(['apply', stack, ...k8s, '--timeout', '120'])).code).toBe(0);
    const whole = await clockwork(['logs', stack, ...k8s]);
    expect(whole.code).toBe(0);
    expect(whole.stdout).toContain('chatty | hello from chatty\n');
    expect(whole.stdout).toMatch(/^ticker \| tick a 1$/m);
    const tail = await clockwork(['logs', stack, 'tickers', ...k8s, '--tail', '2', '--timestamps']);
    expect(tail.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^ticker \| \d{4}-.*Z tick a \d+$/), expect.stringMatching(/^ticker \| \d{4}-.*Z tick a \d+$/)]);

    const follow = startClockwork(['logs', stack, 'ticker', ...k8s, '-f']);
    try {
      await follow.waitFor(/^ticker \| tick a 3$/m);
      // The process exits 1; the kubelet starts a new container in the same Pod.
      await kubectl(['exec', '-n', ns, 'ticker', '--', 'touch', '/tmp/stop']);
      await follow.waitFor(/^ticker \| stopping a$(.|\n)*container restarted \(restart 1\)(.|\n)*^ticker \| tick a 2$/m, 60_000);
      expect(count(follow.stdout(), 'ticker | tick a 1')).toBe(2);

      const previous = await clockwork(['logs', stack, 'ticker', ...k8s, '--previous']);
      expect(previous.stdout).toContain('ticker | stopping a\n');
      expect(count(previous.stdout, 'ticker | tick a 1')).toBe(1);

      // An env change replaces the Pod: the new one is followed from its start.
      expect((await clockwork(['apply', stack, ...k8s, '--timeout', '120'], { TICKER_TAG: 'b' })).code).toBe(0);
      await follow.waitFor(/── new Pod [0-9a-f-]{36}\n(.|\n)*^ticker \| tick b 2$/m, 60_000);
    } finally {
      expect(await follow.interrupt()).toBe(0);
    }
  }, 300_000);

  test("a crashing Resource's last lines are printed under the apply error", async () => {
    const ns = await namespace('crash');
    const r = await clockwork(['apply', fixture('failing.ts'), '-n', ns, '--target', 'kubernetes', '--timeout', '25'], { CLOCKWORK_TEST_FAILURE: 'crash' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ broken: \w+: .*\n {4}last 2 lines of its output:\n/);
    expect(r.stdout).toContain('    | starting up\n');
    expect(r.stdout).toContain('    | fatal: cannot open /data\n');
  }, 120_000);
});
