import { afterAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cleanup, clockwork, fixture, freePort, root, uniqueNamespace } from './helpers.ts';

const namespace = uniqueNamespace('cwassert');
const port = freePort();
const file = fixture('assertions.ts');
const target = ['-n', namespace, '--target', 'docker'];
afterAll(() => cleanup(namespace));

describe('assertions against real containers', () => {
  test('apply waits for the assertions; clockwork assert passes and exits 0', async () => {
    const applied = await clockwork(['apply', file, ...target], { CLOCKWORK_TEST_WEB_PORT: String(port) });
    expect(applied.code).toBe(0);
    const result = await clockwork(['assert', file, ...target], { CLOCKWORK_TEST_WEB_PORT: String(port) });
    expect(result.code).toBe(0);
    for (const row of [/✓ health\s+GET port 80\/health: 200/, /✓ missing-page\s+GET port 80\/nope: 404/, /✓ http-port\s+port 80 accepts connections/, /✓ log\s+the log contains \/server started on \\d\+\//, /✓ up\s+container running/])
      expect(result.stdout).toMatch(row);
    expect(result.stdout).toContain('✓ 5/5 assertions passed');
    expect(result.stdout).toMatch(/\(\d+ ms\)/);
  }, 60_000);

  test('failing http, tcp and logContains assertions: ✗ with the reason, exit 1', async () => {
    const result = await clockwork(['assert', file, ...target], { CLOCKWORK_TEST_WEB_PORT: String(port), CLOCKWORK_TEST_ASSERT: 'fail' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ health\s+GET port 80\/health: expected the body to contain "status: degraded", got "status: ok"/);
    expect(result.stdout).toMatch(/✗ missing-page\s+GET port 80\/nope: expected status 200, got 404/);
    expect(result.stdout).toMatch(/✗ admin-port\s+connect to .*:9000: ECONNREFUSED/);
    expect(result.stdout).toMatch(/✗ log\s+expected the log to contain "panic"/);
    expect(result.stdout).toContain('✗ 0/4 assertions passed, 4 failed');
  }, 30_000);

  test('assert --watch re-runs until interrupted', async () => {
    const child = spawn(process.execPath, [join(root, 'sdk/src/cli/main.ts'), 'assert', file, ...target, '--watch', '--interval', '1'], { cwd: root, env: { ...process.env, CLOCKWORK_TEST_WEB_PORT: String(port) } });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    for (let i = 0; i < 100 && (stdout.match(/assertions passed/g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect((stdout.match(/✓ 5\/5 assertions passed/g) ?? []).length).toBeGreaterThanOrEqual(2);
  }, 30_000);

  test('assertions of a stack that is not running are not checked: exit 1', async () => {
    const other = uniqueNamespace('cwnone');
    const result = await clockwork(['assert', file, '-n', other, '--target', 'docker']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ health\s+not checked: /);
  }, 30_000);
});
