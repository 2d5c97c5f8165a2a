// What a user can make long never makes a status unwritable (issue #18): the depends-on
// annotation is bounded where it is written (the SDK), read (the engine) and admitted (the
// admission policy, tested against the apiserver in test/integration/security/bounds.test.ts),
// and messages are cut to fit the status schema.
import { describe, expect, test } from '@jest/globals';
import { fitStatus, MAX_DEPENDS_ON_ENTRIES, parseDependsOnAnnotation, resourceStatusSchema, STATUS_LIMITS } from '../../sdk/src/api/index.ts';
import { Composite, Resource, external } from '../../sdk/src/index.ts';
import { compileStack } from '../../sdk/src/stack/compile.ts';

describe('the depends-on annotation is bounded', () => {
  test('over the bound, nothing is parsed and one error says why', () => {
    const many = Array.from({ length: MAX_DEPENDS_ON_ENTRIES + 1 }, (_, i) => `dep-${i}`).join(',');
    const parsed = parseDependsOnAnnotation(many);
    expect(parsed.refs).toEqual([]);
    expect(parsed.errors.map((e) => e.message)).toEqual([expect.stringContaining(`lists more than ${MAX_DEPENDS_ON_ENTRIES} dependencies`)]);
    expect(parseDependsOnAnnotation(`a,${'b'.repeat(9000)}`).errors[0]!.message).toContain('longer than 8192 characters');
    expect(parseDependsOnAnnotation(Array.from({ length: MAX_DEPENDS_ON_ENTRIES }, (_, i) => `dep-${i}`).join(',')).refs).toHaveLength(MAX_DEPENDS_ON_ENTRIES);
  });

  test('a stack that would write more is refused at compile time, naming the Resource', () => {
    const api = new Resource({ name: 'api', image: 'x:1' });
    api.connect(...Array.from({ length: MAX_DEPENDS_ON_ENTRIES + 1 }, (_, i) => external(`other/dep-${i}`)));
    const app = new Composite({ name: 'app' }).add(api);
    expect(() => compileStack([app])).toThrow(/app\/api: dependencies: depends on 65 Resources or Composites outside its composite.*at most 64/);
  });
});

describe('a status always fits its schema', () => {
  test('long messages are cut, a long dependency list is shortened; the result validates', () => {
    const now = '2026-01-01T00:00:00Z';
    const status = fitStatus({
      conditions: [{ type: 'Ready', status: 'False' as const, reason: 'WaitingForDependencies', message: 'waiting for '.repeat(4000), lastTransitionTime: now }],
      assertions: [{ name: 'a', kind: 'http', passed: false, message: `expected the body to contain "${'x'.repeat(4096)}"` }],
      dependencies: Array.from({ length: 300 }, (_, i) => `ns/dep-${i}`),
    });
    expect(status.conditions![0]!.message.length).toBeLessThanOrEqual(STATUS_LIMITS.conditionMessage);
    expect(status.conditions![0]!.message).toMatch(/… \(\d+ more\)$/);
    expect(status.assertions![0]!.message.length).toBeLessThanOrEqual(STATUS_LIMITS.assertionMessage);
    expect(status.dependencies).toHaveLength(STATUS_LIMITS.dependencies);
    expect(resourceStatusSchema.safeParse(status).success).toBe(true);
  });

  test('a status that fits is left as it is', () => {
    const status = { conditions: [{ type: 'Ready', status: 'True' as const, reason: 'Ready', message: 'ok', lastTransitionTime: '2026-01-01T00:00:00Z' }], dependencies: ['a/b'] };
    expect(fitStatus(status)).toEqual(status);
  });
});
