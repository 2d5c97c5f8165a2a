import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const root = join(import.meta.dirname, '..', '..');

/** Runs the real CLI as a user would, from the repo root. */
function clockwork(...args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'sdk/src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

describe('clockwork CLI', () => {
  test('plan prints waves and the composite tree', () => {
    const { code, stdout } = clockwork('plan', 'examples/mixed-pattern/main.ts');
    expect(code).toBe(0);
    expect(stdout).toContain('  1. postgres-db, prometheus\n  2. api-service\n');
    expect(stdout).toContain('webapp (composite)\n  ├── postgres-db\n  └── api-service  ← postgres-db, prometheus\n');
  });

  test('plan -o json gives the waves for scripts', () => {
    const { code, stdout } = clockwork('plan', 'examples/mixed-pattern/main.ts', '-o', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).waves).toEqual([['postgres-db', 'prometheus'], ['api-service']]);
  });

  test('generate -n sets the namespace; -o json is a List', () => {
    const yaml = clockwork('generate', 'examples/mixed-pattern/main.ts', '-n', 'shop');
    expect(yaml.code).toBe(0);
    const docs = parseAllDocuments(yaml.stdout).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`)).toEqual([
      'Composite/shop/webapp',
      'Resource/shop/postgres-db',
      'Resource/shop/prometheus',
      'Resource/shop/api-service',
    ]);
    const json = clockwork('generate', 'examples/mixed-pattern/main.ts', '-o', 'json');
    expect(parse(json.stdout).items).toHaveLength(4);
  });

  test('an invalid stack exits 1 and lists every problem with the file name', () => {
    const { code, stderr, stdout } = clockwork('generate', 'test/fixtures/stacks/invalid.ts');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    // Every problem at once: the cycle too, not only after the other two are fixed.
    expect(stderr).toContain('test/fixtures/stacks/invalid.ts: invalid stack (3 problems)');
    expect(stderr).toContain('webapp/db: ports[1].port: duplicate port 5432');
    expect(stderr).toContain('webapp/api: comand: unknown field (did you mean "command"?)');
    expect(stderr).toContain('webapp/api: dependencies: dependency cycle: api → db → api');
  });

  test('a file without a default export, or no file at all, exits 1 naming the file', () => {
    expect(clockwork('plan', 'test/fixtures/stacks/no-default.ts')).toMatchObject({ code: 1, stderr: expect.stringContaining('no-default.ts: the default export must be') });
    expect(clockwork('plan', 'missing.ts')).toMatchObject({ code: 1, stderr: 'error: missing.ts: no such file\n' });
  });

  test('bad usage exits 2', () => {
    expect(clockwork('plan').code).toBe(2);
    expect(clockwork('plan', 'examples/mixed-pattern/main.ts', '--bogus').code).toBe(2);
    expect(clockwork('generate', 'examples/mixed-pattern/main.ts', '-o', 'xml').code).toBe(2);
    expect(clockwork('frobnicate').code).toBe(2);
  });

  test('dashboard: a stack file or --all, a port number; each mistake says what to do', () => {
    const neither = clockwork('dashboard');
    expect(neither).toMatchObject({ code: 2, stderr: 'error: dashboard needs a stack file, or --all for every stack in the namespace (-A: in every namespace)\n' });
    expect(clockwork('dashboard', 'examples/mixed-pattern/main.ts', '--all').code).toBe(2);
    expect(clockwork('dashboard', '--all', '--port', 'eighty').stderr).toContain('expected a port number (0-65535), got "eighty"');
    expect(clockwork('dashboard', '--help').stdout).toMatch(/--port <port>.*18400/s);
  }, 60_000);

  test('--help documents the commands and exit codes', () => {
    const top = clockwork('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/generate \[options\] <file>/);
    const sub = clockwork('plan', '--help');
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('-o, --output <format>');
    expect(sub.stdout).toContain('2  bad usage');
  });

  test.each(examples)('example %s plans and generates', (example) => {
    const file = `examples/${example}/main.ts`;
    const planned = clockwork('plan', file, '-o', 'json');
    expect(planned).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(planned.stdout).waves.flat().length).toBeGreaterThan(1);
    const generated = clockwork('generate', file);
    expect(generated).toMatchObject({ code: 0, stderr: '' });
    expect(parseAllDocuments(generated.stdout).length).toBeGreaterThan(1);
  });
});
