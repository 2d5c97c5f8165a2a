// The `clockwork` command as installed (bin/clockwork → the precompiled CLI in dist/): it answers
// like the sources do, runs on the Node 24 of node_modules whatever `node` is first on PATH, loads
// only what the command needs, and lets a stack file anywhere import 'clockwork'.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const tsc = join(root, 'node_modules/.bin/tsc');

beforeAll(() => {
  // What `make build` does (incremental: nothing to do when dist/ is current).
  execFileSync(tsc, ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
}, 120_000);

/** Runs a command with PATH as a user's shell might have it: the machine's own bin directories only. */
function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(command, args, { cwd: options.cwd ?? root, encoding: 'utf8', env: { HOME: process.env.HOME ?? '/root', PATH: '/usr/local/bin:/usr/bin:/bin', ...options.env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const bin = join(root, 'bin/clockwork');
const source = (...args: string[]) => spawnSync(process.execPath, [join(root, 'sdk/src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8' });

describe('bin/clockwork', () => {
  test('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const r = run(bin, ['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(source('--version').stdout).toBe(`${version}\n`);
  });

  test('plan prints what the sources print, on Node 24 although PATH has no node_modules/.bin', () => {
    // Type stripping of the .ts stack file needs Node 22.18 or newer: this passing means the bin chose node_modules' Node.
    const r = run(bin, ['plan', 'examples/mixed-pattern/main.ts']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(source('plan', 'examples/mixed-pattern/main.ts').stdout);
  });

  test('linked into another directory (make install) it still finds its own build', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clockwork-bin-'));
    try {
      mkdirSync(join(dir, 'bin'));
      symlinkSync(bin, join(dir, 'bin', 'clockwork'));
      const r = run('clockwork', ['plan', join(root, 'examples/mixed-pattern/main.ts'), '-o', 'json'], { cwd: dir, env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin` } });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).waves).toEqual([['postgres-db', 'prometheus'], ['api-service']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a stack file outside the repository imports 'clockwork' from the CLI that runs it", () => {
    const dir = mkdtempSync(join(tmpdir(), 'clockwork-stack-'));
    try {
      writeFileSync(join(dir, 'stack.ts'), "import { Resource } from 'clockwork';\nexport default [new Resource({ name: 'web', image: 'nginx:1.27', ports: [{ port: 80 }] })];\n");
      const r = run(bin, ['generate', 'stack.ts', '-o', 'json'], { cwd: dir });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).items.map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`)).toEqual(['Resource/web']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('plan loads neither the Kubernetes client, dockerode nor the model client', () => {
    // A hook that lists every module the process loads, printed at exit.
    const dir = mkdtempSync(join(tmpdir(), 'clockwork-loads-'));
    try {
      const tracer = join(dir, 'trace.mjs');
      writeFileSync(
        tracer,
        "import { registerHooks } from 'node:module';\nconst urls = [];\nregisterHooks({ load(url, context, next) { urls.push(url); return next(url, context); } });\nprocess.on('exit', () => process.stderr.write(urls.join('\\n')));\n",
      );
      const r = run(bin, ['plan', 'examples/mixed-pattern/main.ts'], { env: { NODE_OPTIONS: `--import ${tracer}` } });
      expect(r.code).toBe(0);
      const loaded = r.stderr.split('\n');
      expect(loaded.some((u) => u.includes('/dist/sdk/src/stack/compile.js'))).toBe(true);
      // Only the precompiled SDK: the sources are not loaded a second time for the stack file's import.
      expect(loaded.filter((u) => /\/sdk\/src\/.*\.ts$/.test(u))).toEqual([]);
      for (const heavy of ['@kubernetes/client-node', 'dockerode', 'openai', 'winston', 'prom-client']) expect(loaded.filter((u) => u.includes(`/node_modules/${heavy}/`))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the precompiled modules in dist/ (what the bin and the operator image run)', () => {
  test('find their worker threads: a user regex is answered by the compiled regex worker', () => {
    const url = new URL(`file://${join(root, 'dist/sdk/src/assertions/user-regex.js')}`).href;
    const script = `const { UserRegexRunner } = await import(${JSON.stringify(url)}); const r = new UserRegexRunner(); console.log(await r.test('^(a+)+$', 'a'.repeat(40))); r.close();`;
    const dir = mkdtempSync(join(tmpdir(), 'cw-dist-'));
    try {
      writeFileSync(join(dir, 'check.mjs'), script);
      const r = spawnSync(process.execPath, [join(dir, 'check.mjs')], { cwd: root, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('true');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
