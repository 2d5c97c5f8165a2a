// User regular expressions: RE2 semantics (linear time), run in a worker with a budget, so a
// pattern that would backtrack for ever under JavaScript's engine is answered at once, and one
// that is merely slow fails its check instead of holding anything up.
import { afterAll, describe, expect, test } from '@jest/globals';
import { RegexBudgetError, UserRegexRunner } from '../../sdk/src/assertions/index.ts';
import { regexSyntaxProblem, resourceSpecSchema } from '../../sdk/src/api/index.ts';

const runner = new UserRegexRunner();
afterAll(() => runner.close());

describe('user regexes', () => {
  test('the classic catastrophic pattern is answered (RE2 does not backtrack)', async () => {
    expect(await runner.test('^(a+)+$', `${'a'.repeat(5000)}!`)).toBe(false);
    expect(await runner.test('^(a+)+$', 'a'.repeat(5000))).toBe(true);
  });

  test('multiline for logs: ^ and $ match at line breaks', async () => {
    expect(await runner.test('^listening on :\\d+$', 'starting\nlistening on :8000\n', { multiline: true })).toBe(true);
    expect(await runner.test('^listening on :\\d+$', 'starting\nlistening on :8000\n')).toBe(false);
  });

  test('a pattern that runs past its budget fails with RegexBudgetError; the next one runs on a fresh worker', async () => {
    // Counted repetitions make a large automaton: seconds on 64 KiB even in linear time.
    const slow = runner.test('((a|b){1,50}){1,20}c', ('ab'.repeat(100) + 'xc').repeat(400), { budgetMs: 200 });
    await expect(slow).rejects.toBeInstanceOf(RegexBudgetError);
    await expect(slow).rejects.toThrow(/longer than 200 ms/);
    expect(await runner.test('ok', 'it is ok')).toBe(true);
  });

  test('what RE2 cannot run is refused at validation, naming the field', () => {
    expect(regexSyntaxProblem('(?=a)b')).toMatch(/RE2 syntax/);
    expect(regexSyntaxProblem('(a)\\1')).toBeDefined();
    expect(regexSyntaxProblem('x{1001}')).toBeDefined();
    const parsed = resourceSpecSchema.safeParse({ image: 'x', ports: [{ port: 80 }], assertions: [{ http: { port: 80, bodyMatches: '(?<=a)b' } }, { logContains: { regex: '(a)\\1' } }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['assertions.0.http.bodyMatches', 'assertions.1.logContains.regex']);
  });
});
