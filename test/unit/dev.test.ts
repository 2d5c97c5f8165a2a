import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Composite, Resource, compileStack } from '../../sdk/src/index.ts';
import { describeDiff, diffStacks, isEmptyDiff } from '../../sdk/src/dev/stack-diff.ts';
import { claimDevLockFile } from '../../sdk/src/targets/docker/dev-lock-file.ts';
import { DevSessionTakenError } from '../../sdk/src/targets/dev-session-lock.ts';
import { parseDuration } from '../../sdk/src/cli/parse-options.ts';
import { colourOf, logFormatter } from '../../sdk/src/cli/log-format.ts';
import { selectResources } from '../../sdk/src/cli/select-resources.ts';

const image = 'example/app:1';
function stack(options: { config?: string; mode?: string; assertions?: boolean; extra?: boolean; path?: string } = {}) {
  const web = new Resource({
    name: 'web',
    image,
    env: { MODE: options.mode ?? 'one' },
    files: [{ mountPath: options.path ?? '/etc/web/web.conf', content: options.config ?? 'a' }],
    reload: { signal: 'SIGHUP' },
    ...(options.assertions ? { assertions: [{ tcp: { port: 80 } }] } : {}),
  });
  const db = new Resource({ name: 'db', image });
  const items: unknown[] = [new Composite({ name: 'app' }).add(web, db)];
  if (options.extra) items.push(new Resource({ name: 'cache', image }));
  return compileStack(items);
}

describe('what a save changed', () => {
  test('nothing: an empty diff', () => {
    expect(isEmptyDiff(diffStacks(stack(), stack()))).toBe(true);
  });

  test("a change of a file's content alone is applied in place; its path is not", () => {
    const content = diffStacks(stack(), stack({ config: 'b' }));
    expect(content.changed).toEqual([{ name: 'web', fields: ['files'], filesOnly: true, changedFiles: ['/etc/web/web.conf'] }]);
    expect(describeDiff(content)).toEqual(['web: files changed (/etc/web/web.conf): updating them in place']);
    expect(diffStacks(stack(), stack({ path: '/etc/web/other.conf' })).changed[0]!.filesOnly).toBe(false);
    // A file directly in a top-level directory is mounted alone: its change replaces the workload.
    expect(describeDiff(diffStacks(stack({ path: '/etc/web.conf' }), stack({ path: '/etc/web.conf', config: 'b' })))).toEqual(['web: files changed: replacing its workload']);
  });

  test('env replaces the workload; assertions leave it running; Resources added and removed are named', () => {
    expect(describeDiff(diffStacks(stack(), stack({ mode: 'two', config: 'b' })))).toEqual(['web: env, files changed: replacing its workload']);
    expect(describeDiff(diffStacks(stack(), stack({ assertions: true })))).toEqual(['web: assertions changed: the workload keeps running']);
    const files = diffStacks(stack(), stack({ assertions: true, config: 'b' }));
    expect(files.changed[0]!.filesOnly).toBe(true);
    expect(describeDiff(diffStacks(stack(), stack({ extra: true })))).toEqual(['cache: added to the stack']);
    expect(describeDiff(diffStacks(stack({ extra: true }), stack()))).toEqual(['cache: removed from the stack']);
  });
});

describe('one dev session per stack and namespace (Docker: a lock file)', () => {
  const claim = (namespace = 'default') => ({ namespace, stackName: 'shop', holder: { identity: `me@${hostname()} pid ${process.pid}`, file: 'shop.ts' } });

  test('a second claim is refused, naming the first; released, it can be taken again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-lock-'));
    const lock = claimDevLockFile(claim(), 'local', dir);
    expect(() => claimDevLockFile(claim(), 'local', dir)).toThrow(DevSessionTakenError);
    expect(() => claimDevLockFile(claim(), 'local', dir)).toThrow(/clockwork dev is already running for stack "shop" in namespace "default": me@.* pid \d+ watching shop\.ts, since 20/);
    // Another namespace or another engine is another stack.
    (await Promise.resolve(claimDevLockFile(claim('other'), 'local', dir))).release();
    claimDevLockFile(claim(), 'tcp://remote:2376', dir).release();
    await lock.release();
    await claimDevLockFile(claim(), 'local', dir).release();
  });

  test('a lock left by a process that is gone is taken over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-lock-'));
    const lock = claimDevLockFile(claim(), 'local', dir);
    const [file] = readdirSync(dir);
    // A pid that cannot be alive: beyond the kernel's maximum.
    writeFileSync(join(dir, file!), JSON.stringify({ identity: 'ghost', file: 'shop.ts', pid: 2 ** 30, host: hostname(), since: new Date().toISOString() }));
    void lock;
    expect(() => claimDevLockFile(claim(), 'local', dir)).not.toThrow();
  });
});

describe('clockwork logs, pure parts', () => {
  test('durations', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('10m')).toBe(600);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(() => parseDuration('ten minutes')).toThrow(/expected a duration such as 30s, 10m or 1h30m/);
  });

  test('prefixes line up; a colour per Resource that does not depend on the others; notes marked', () => {
    const format = logFormatter({ resources: ['db', 'api-service'], colour: false, timestamps: false });
    expect(format({ resource: 'db', text: 'ready', kind: 'output' })).toBe('db          | ready');
    expect(format({ resource: 'api-service', text: 'container exited with code 1', kind: 'event' })).toBe('api-service | ── container exited with code 1');
    expect(colourOf('db')).toBe(colourOf('db'));
    const coloured = logFormatter({ resources: ['db'], colour: true, timestamps: true });
    expect(coloured({ resource: 'db', text: 'x', kind: 'output', time: '2026-01-01T00:00:00.000000000Z' })).toBe(`\u001b[${colourOf('db')}mdb |\u001b[0m 2026-01-01T00:00:00.000000000Z x`);
    const cut = logFormatter({ resources: ['db'], colour: false, timestamps: false, maxWidth: 12 });
    expect(cut({ resource: 'db', text: 'a long line of output', kind: 'output' })).toBe('db | a long…');
  });

  test('a Composite stands for the Resources below it; an unknown name lists what the stack has', () => {
    const s = stack({ extra: true });
    expect(selectResources(s, [], 'shop.ts')).toEqual(['cache', 'db', 'web']);
    expect(selectResources(s, ['app'], 'shop.ts')).toEqual(['db', 'web']);
    expect(selectResources(s, ['web', 'cache'], 'shop.ts')).toEqual(['cache', 'web']);
    expect(() => selectResources(s, ['nope'], 'shop.ts')).toThrow('shop.ts has no Resource or Composite named "nope" (it has: cache, db, web, app (composite))');
  });
});
