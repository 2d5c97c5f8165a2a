// securityContext on Docker: the container runs as the Resource's user and group (docker run --user).
import { afterAll, describe, expect, test } from '@jest/globals';
import { cleanup, clockwork, docker, fixture, uniqueNamespace } from './helpers.ts';

const namespace = uniqueNamespace('cwuser');
afterAll(() => cleanup(namespace));

describe('securityContext on Docker', () => {
  test('runAsUser and runAsGroup become the container user; its log proves who it runs as', async () => {
    const result = await clockwork(['apply', fixture('run-as.ts'), '-n', namespace, '--target', 'docker']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/✓ 1\/1 resources Ready/);
    expect((await docker.getContainer(`clockwork-${namespace}-whoami`).inspect()).Config.User).toBe('1234:2345');
    const assert = await clockwork(['assert', fixture('run-as.ts'), '-n', namespace, '--target', 'docker']);
    expect(assert.stdout).toMatch(/✓ runs-as\s+the log contains "I am uid=1234 gid=2345"/);
  }, 60_000);
});
