import { describe, expect, test } from '@jest/globals';
import { Composite, Resource, StackValidationError, compileStack } from '../../sdk/src/index.ts';
import { issuesOf, messages, resource } from './fixtures.ts';

describe('validation names the resource path, the field and the rule', () => {
  test('a misspelt field is an error, with a suggestion', () => {
    const api = resource('api-service', { comand: ['serve'] } as never);
    expect(messages([new Composite({ name: 'webapp' }).add(api)])).toEqual(['webapp/api-service|comand|unknown field (did you mean "command"?)']);
  });

  test('unknown keys nested inside a field', () => {
    expect(messages([resource('db', { readiness: { tcpSocket: { port: 5432 }, periodSecond: 2 } as never })])).toEqual([
      'db|readiness.periodSecond|unknown field (did you mean "periodSeconds"?)',
    ]);
  });

  test('securityContext: whole non-negative IDs; a group needs a user', () => {
    expect(messages([resource('db', { securityContext: { runAsGroup: 999 } })])).toEqual(['db|securityContext.runAsGroup|runAsGroup needs runAsUser (Docker cannot set a group alone)']);
    expect(messages([resource('db', { securityContext: { runAsUser: -1 } })])).toEqual(['db|securityContext.runAsUser|Too small: expected number to be >=0']);
    expect(messages([resource('db', { securityContext: { runAsUser: 'postgres' } as never })])).toEqual(['db|securityContext.runAsUser|Invalid input: expected number, received string']);
    expect(() => compileStack([resource('db', { securityContext: { runAsUser: 999, runAsGroup: 999 } })])).not.toThrow();
  });

  test('port out of range', () => {
    expect(messages([resource('db', { ports: [{ port: 70000 }] })])).toEqual(['db|ports[0].port|Too big: expected number to be <=65535']);
  });

  test('duplicate ports and port names', () => {
    expect(messages([resource('db', { ports: [{ name: 'pg', port: 5432 }, { name: 'pg', port: 5432 }] })])).toEqual([
      'db|ports[1].port|duplicate port 5432',
      'db|ports[1].name|duplicate port name "pg"',
    ]);
  });

  test('the same port number on different protocols is fine', () => {
    expect(() => compileStack([resource('dns', { ports: [{ port: 53 }, { port: 53, protocol: 'UDP' }] })])).not.toThrow();
  });

  test('invalid DNS-1123 names, for Resources and Composites', () => {
    expect(messages([resource('Api_Service'), new Composite({ name: 'web app' })])).toEqual([
      'Api_Service|name|must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
      'web app|name|must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
    ]);
  });

  test('duplicate names in a namespace', () => {
    const a = new Composite({ name: 'a' }).add(resource('db'));
    const b = new Composite({ name: 'b' }).add(resource('db'));
    expect(messages([a, b])).toEqual(['b/db|name|duplicate name: Resource "db" is already defined at a/db']);
  });

  test('a Resource added to two composites', () => {
    const db = resource('db');
    expect(messages([new Composite({ name: 'a' }).add(db), new Composite({ name: 'b' }).add(db)])).toEqual([
      'a/db||is added to 2 composites (a, b); a Resource belongs to one at most',
    ]);
  });

  test('a composite added to itself, directly or through nesting', () => {
    const self = new Composite({ name: 'loop' });
    self.add(self);
    expect(messages([self])).toEqual(['loop||composite "loop" is added to itself (loop → loop)']);
    const outer = new Composite({ name: 'outer' });
    const inner = new Composite({ name: 'inner' }).add(outer);
    outer.add(inner);
    expect(messages([outer]).some((m) => m.includes('composite "outer" is added to itself (outer → inner → outer)'))).toBe(true);
  });

  test('every problem at once: an unknown field, a bad port and a dependency cycle in one report', () => {
    const a = resource('a', { comand: ['serve'] } as never);
    const b = resource('b', { ports: [{ port: 70000 }] });
    a.connect(b);
    b.connect(a);
    const found = issuesOf([a, b]);
    expect(found.map((i) => `${i.resource}|${i.field}`)).toEqual(expect.arrayContaining(['a|comand', 'a|dependencies']));
    expect(found.some((i) => i.resource === 'b' && i.field.startsWith('ports'))).toBe(true);
    expect(found.find((i) => i.field === 'dependencies')!.message).toBe('dependency cycle: a → b → a');
  });

  test('a dependency cycle shows the whole loop', () => {
    const a = resource('a');
    const b = resource('b');
    const c = resource('c');
    a.connect(b);
    b.connect(c);
    c.connect(a);
    expect(messages([a, b, c])).toEqual(['a|dependencies|dependency cycle: a → b → c → a']);
  });

  test('a self reference', () => {
    const a = resource('a');
    a.connect(a);
    expect(messages([a])).toEqual(['a|dependencies|dependency cycle: a → a']);
  });

  test('a cycle across composites', () => {
    const db = resource('db');
    const api = resource('api');
    const left = new Composite({ name: 'left' }).add(db);
    const right = new Composite({ name: 'right' }).add(api);
    db.connect(api);
    api.connect(db);
    expect(messages([left, right])).toEqual(['right/api|dependencies|dependency cycle: api → db → api']);
  });

  test('a cycle through a composite boundary: a child depending on its own composite', () => {
    const api = resource('api');
    const webapp = new Composite({ name: 'webapp' }).add(api);
    api.connect(webapp);
    expect(messages([webapp])).toEqual(['webapp/api|dependencies|dependency cycle: api → webapp (composite) → api']);
  });

  test('a cycle inside nested composites', () => {
    const x = resource('x');
    const y = resource('y');
    const inner = new Composite({ name: 'inner' }).add(x);
    const outer = new Composite({ name: 'outer' }).add(inner, y);
    x.connect(y);
    y.connect(inner);
    expect(messages([outer])).toEqual(['outer/inner/x|dependencies|dependency cycle: x → y → inner (composite) → x']);
  });

  test('a dependency on something not in the stack and not declared external', () => {
    const ghost = resource('ghost');
    expect(messages([resource('api').connect(ghost)])).toEqual([
      'api|dependencies|depends on Resource "ghost", which is not in the stack (add it to the stack, or declare it with external("ghost"))',
    ]);
  });

  test('exactly one probe kind', () => {
    expect(messages([resource('db', { readiness: { tcpSocket: { port: 1 }, exec: { command: ['true'] } } })])).toEqual([
      'db|readiness|exactly one of httpGet, tcpSocket or exec must be set, found tcpSocket, exec',
    ]);
  });

  test('a named port must exist', () => {
    expect(messages([resource('web', { ports: [{ name: 'http', port: 80 }], readiness: { httpGet: { path: '/', port: 'htp' } } })])).toEqual([
      'web|readiness.httpGet.port|port "htp" is not the name of any of this resource\'s ports',
    ]);
  });

  test('assertions: shape, kinds and unique names', () => {
    expect(
      messages([
        resource('web', {
          ports: [{ port: 80 }],
          assertions: [{ http: { port: 80, path: '/' } }, { http: { port: 80, path: '/' } }, { tcp: { port: 80 }, running: {} }, { logContains: {} }],
        }),
      ]),
    ).toEqual([
      'web|assertions[2]|exactly one of http, tcp, running, logContains must be set, found tcp, running',
      'web|assertions[3].logContains|exactly one of text or regex must be set',
    ]);
  });

  test('every problem is listed, not only the first', () => {
    const issues = issuesOf([resource('a', { ports: [{ port: 0 }] }), resource('B'), new Resource({ name: 'c' })]);
    expect(issues.map((i) => `${i.resource}|${i.field}`)).toEqual(['a|ports[0].port', 'B|name', 'c|image']);
    expect(issues[2]!.message).toMatch(/is required/);
  });

  test('a change after creation is validated when the stack is compiled', () => {
    const db = resource('db', { ports: [{ port: 5432 }] });
    db.ports![0]!.port = -1;
    expect(messages([db])).toEqual(['db|ports[0].port|Too small: expected number to be >=1']);
  });

  test('env: literal values and references; bad names are reported by key', () => {
    const ok = compileStack([resource('db', { env: { A: 'x', B: { secretKeyRef: { name: 's', key: 'k' } } } })]);
    expect(ok.resources[0]!.spec.env).toEqual([{ name: 'A', value: 'x' }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]);
    expect(messages([resource('db', { env: { '1BAD': 'x' } })])).toEqual([
      'db|env.1BAD|must consist of letters, digits, "_", "-" or "." and not start with a digit',
    ]);
  });

  test('the error message lists the file and every issue', () => {
    try {
      compileStack([resource('B')]);
    } catch (e) {
      expect((e as StackValidationError).withSource('stack.ts').message).toBe(
        'stack.ts: invalid stack (1 problem)\n  - B: name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
      );
    }
  });

  test('an item that is not a Resource or Composite', () => {
    expect(messages([resource('a'), 'b'])).toEqual(['stack|[1]|is not a Resource or Composite (got string)']);
  });
});

describe('options that collide with the SDK', () => {
  test('`dependencies:` in the options is an unknown field, not a crash', () => {
    expect(messages([resource('api', { dependencies: ['db'] } as never)])).toEqual(['api|dependencies|unknown field']);
  });
});
