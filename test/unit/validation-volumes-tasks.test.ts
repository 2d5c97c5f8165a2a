// Bad input of the stateful fields (volumes, run, backoffLimit): each problem names the
// Resource's path and the field, and every problem is listed at once.
import { describe, expect, test } from '@jest/globals';
import { Composite, compileStack } from '../../sdk/src/index.ts';
import { resourceSpecSchema, storageBytes } from '../../sdk/src/api/index.ts';
import { issuesOf, messages, resource } from './fixtures.ts';


describe('volumes', () => {
  test('a valid volume compiles into the spec as written (defaults are the workload\'s business)', () => {
    const stack = compileStack([resource('db', { volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '2Gi', storageClass: 'local-path', retain: false }] })]);
    expect(stack.resources[0]!.spec.volumes).toEqual([{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '2Gi', storageClass: 'local-path', retain: false }]);
  });

  test('duplicate volume names', () => {
    expect(messages([resource('db', { volumes: [{ name: 'data', mountPath: '/a' }, { name: 'data', mountPath: '/b' }] })])).toEqual(['db|volumes[1].name|duplicate volume name "data"']);
  });

  test('overlapping mount paths: the same path, or one below the other', () => {
    expect(messages([resource('db', { volumes: [{ name: 'a', mountPath: '/data' }, { name: 'b', mountPath: '/data' }] })])).toEqual([
      'db|volumes[1].mountPath|overlaps the mountPath of volume "a" (/data)',
    ]);
    expect(messages([resource('db', { volumes: [{ name: 'a', mountPath: '/data/wal' }, { name: 'b', mountPath: '/data' }] })])).toEqual([
      'db|volumes[1].mountPath|overlaps the mountPath of volume "a" (/data/wal)',
    ]);
    // A shared prefix that is not a path prefix is fine.
    expect(() => compileStack([resource('db', { volumes: [{ name: 'a', mountPath: '/data' }, { name: 'b', mountPath: '/data2' }] })])).not.toThrow();
  });

  test('a volume over a files path', () => {
    expect(
      messages([resource('prom', { files: [{ mountPath: '/etc/prometheus/prometheus.yml', content: '' }], volumes: [{ name: 'config', mountPath: '/etc/prometheus' }] })]),
    ).toEqual(['prom|volumes[0].mountPath|overlaps the files entry at /etc/prometheus/prometheus.yml']);
  });

  test('mount paths must be absolute directories without dot segments', () => {
    const bad = ['data', '/', '/data/', '/a/../etc', '/a/./b', '//a'];
    for (const mountPath of bad) {
      const found = messages([resource('db', { volumes: [{ name: 'data', mountPath }] })]);
      expect(found).toContain('db|volumes[0].mountPath|must be an absolute directory path such as /var/lib/data (no trailing "/", no "." or ".." segments)');
      expect(found.every((m) => m.startsWith('db|volumes[0].mountPath|'))).toBe(true);
    }
  });

  test('a bad size, name or storage class', () => {
    expect(messages([resource('db', { volumes: [{ name: 'data', mountPath: '/d', size: 'lots' }] })])).toEqual([
      'db|volumes[0].size|must be a storage size greater than zero, such as 1Gi or 500Mi',
    ]);
    expect(messages([resource('db', { volumes: [{ name: 'data', mountPath: '/d', size: '0Gi' }] })])).toEqual([
      'db|volumes[0].size|must be a storage size greater than zero, such as 1Gi or 500Mi',
    ]);
    expect(messages([resource('db', { volumes: [{ name: 'data', mountPath: '/d', size: 1024 as never }] })])).toEqual(['db|volumes[0].size|Invalid input: expected string, received number']);
    expect(messages([resource('db', { volumes: [{ name: 'Data', mountPath: '/d' }] })])).toEqual([
      'db|volumes[0].name|must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
    ]);
    expect(messages([resource('db', { volumes: [{ name: 'data', mountPath: '/d', storageClass: 'Fast_SSD' }] })])).toEqual([
      'db|volumes[0].storageClass|must be a DNS-1123 subdomain: lowercase letters, digits, "-" and "."',
    ]);
  });

  test('a misspelt volume field, with a suggestion; host paths are not a volume kind', () => {
    expect(messages([resource('db', { volumes: [{ name: 'data', mountpath: '/d' } as never] })])).toEqual([
      'db|volumes[0].mountPath|Invalid input: expected string, received undefined',
      'db|volumes[0].mountpath|unknown field (did you mean "mountPath"?)',
    ]);
    expect(messages([resource('db', { volumes: [{ name: 'root', mountPath: '/host', hostPath: { path: '/' } } as never] })])).toEqual(['db|volumes[0].hostPath|unknown field']);
  });

  test('two Resources whose claims would share a name (db + data-x, db-data + x)', () => {
    const a = resource('db', { volumes: [{ name: 'data-x', mountPath: '/d' }] });
    const b = resource('db-data', { volumes: [{ name: 'x', mountPath: '/d' }] });
    expect(messages([new Composite({ name: 'app' }).add(a, b)])).toEqual([
      'app/db-data|volumes[0].name|its claim name "db-data-x" (<resource>-<volume>) is also the claim of app/db volume "data-x"; rename one of the volumes',
    ]);
  });

  test('storage sizes in bytes', () => {
    expect(storageBytes('1Gi')).toBe(2 ** 30);
    expect(storageBytes('500M')).toBe(5e8);
    expect(storageBytes('1.5Ki')).toBe(1536);
    expect(storageBytes('1e3')).toBeUndefined();
    expect(storageBytes('-1Gi')).toBeUndefined();
  });
});

describe('run and backoffLimit', () => {
  test('a task and its retries', () => {
    const stack = compileStack([resource('migrate', { run: 'once', backoffLimit: 0 })]);
    expect(stack.resources[0]!.spec).toMatchObject({ run: 'once', backoffLimit: 0 });
  });

  test('run is always or once', () => {
    expect(messages([resource('migrate', { run: 'twice' as never })])).toEqual(['migrate|run|Invalid option: expected one of "always"|"once"']);
  });

  test('backoffLimit is 0 to 10', () => {
    expect(messages([resource('migrate', { run: 'once', backoffLimit: 11 })])).toEqual(['migrate|backoffLimit|Too big: expected number to be <=10']);
    expect(messages([resource('migrate', { run: 'once', backoffLimit: -1 })])).toEqual(['migrate|backoffLimit|Too small: expected number to be >=0']);
    expect(messages([resource('migrate', { run: 'once', backoffLimit: 1.5 })])).toEqual(['migrate|backoffLimit|Invalid input: expected int, received number']);
  });

  test('backoffLimit only with run: once', () => {
    expect(messages([resource('api', { backoffLimit: 2 })])).toEqual(["api|backoffLimit|backoffLimit applies only to run: 'once'"]);
    expect(messages([resource('api', { run: 'always', backoffLimit: 2 })])).toEqual(["api|backoffLimit|backoffLimit applies only to run: 'once'"]);
  });

  test('a task has no readiness probe', () => {
    expect(messages([resource('migrate', { run: 'once', readiness: { exec: { command: ['true'] } } })])).toEqual([
      'migrate|readiness|a task (run: once) has no readiness probe: it is Ready once it exits 0',
    ]);
  });

  test('every problem of a Resource at once', () => {
    const issues = issuesOf([
      resource('migrate', { run: 'once', backoffLimit: 99, readiness: { exec: { command: ['true'] } }, volumes: [{ name: 'x', mountPath: '/x', size: '0' }, { name: 'x', mountPath: '/x/y' }] }),
    ]);
    expect(issues.map((i) => i.field).sort()).toEqual(['backoffLimit', 'volumes[0].size']);
    // The cross-field rules run once the fields themselves are valid.
    const next = issuesOf([resource('migrate', { run: 'once', backoffLimit: 9, readiness: { exec: { command: ['true'] } }, volumes: [{ name: 'x', mountPath: '/x' }, { name: 'x', mountPath: '/x/y' }] })]);
    expect(next.map((i) => i.field).sort()).toEqual(['readiness', 'volumes[1].mountPath', 'volumes[1].name']);
  });
});

describe('the spec schema (what the operator and the CRD check)', () => {
  test('the same rules hold on Resource.spec', () => {
    const base = { image: 'example/x:1' };
    expect(resourceSpecSchema.safeParse({ ...base, volumes: [{ name: 'data', mountPath: '/d' }] }).success).toBe(true);
    expect(resourceSpecSchema.safeParse({ ...base, run: 'once', readiness: { exec: { command: ['true'] } } }).success).toBe(false);
    expect(resourceSpecSchema.safeParse({ ...base, backoffLimit: 1 }).success).toBe(false);
  });
});
