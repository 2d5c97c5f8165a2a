import { ClockworkError } from '../api/index.ts';
import type { CompletionProblem } from './complete-stack.ts';

/**
 * Resources that need completion and did not get it (no lock entry and no model, an unreachable
 * model, or no valid answer). Nothing is compiled or deployed when this is thrown.
 */
export class CompletionError extends ClockworkError {
  readonly problems: readonly CompletionProblem[];

  constructor(problems: readonly CompletionProblem[], source?: string) {
    const head = `${source ? `${source}: ` : ''}${problems.length} resource${problems.length === 1 ? '' : 's'} need${problems.length === 1 ? 's' : ''} AI completion`;
    const lines = problems.map((p) => `  - ${p.path}: ${p.fields.join(', ')} not completed: ${p.reason}`);
    super(`${head}\n${lines.join('\n')}\n(see docs/ai-completion.md: set CLOCKWORK_MODEL, OPENAI_BASE_URL and OPENAI_API_KEY, then run \`clockwork complete <file>\`)`);
    this.problems = problems;
  }
}
