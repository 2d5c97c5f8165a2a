import { RE2JS } from 're2js';

/**
 * Why `pattern` is not a regular expression the assertions can run, or undefined. They run with
 * RE2 semantics (linear time: no lookaround, no backreferences), so this is RE2's parser.
 */
export function regexSyntaxProblem(pattern: string, o: { multiline?: boolean } = {}): string | undefined {
  try {
    RE2JS.compile(pattern, o.multiline ? RE2JS.MULTILINE : 0);
    return undefined;
  } catch (error) {
    return `invalid regular expression (RE2 syntax: no lookaround or backreferences): ${(error as Error).message}`;
  }
}
