import { ClockworkError } from '../api/index.ts';
/** One problem in a stack: which resource (by path), which field, and what rule it breaks. */
export interface StackIssue {
  /** `webapp/api-service`, or `stack` for problems of the stack as a whole. */
  resource: string;
  /** `ports[1].port`; empty when the problem is the resource itself. */
  field: string;
  message: string;
}

export function formatIssue(issue: StackIssue): string {
  return `${issue.resource}${issue.field ? `: ${issue.field}` : ''}: ${issue.message}`;
}

/** A stack that cannot be deployed. Lists every problem found, not only the first. */
export class StackValidationError extends ClockworkError {
  readonly issues: readonly StackIssue[];
  readonly source: string | undefined;

  constructor(issues: readonly StackIssue[], source?: string) {
    const head = `${source ? `${source}: ` : ''}invalid stack (${issues.length} problem${issues.length === 1 ? '' : 's'})`;
    super(`${head}\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
    this.issues = issues;
    this.source = source;
  }

  withSource(source: string): StackValidationError {
    return new StackValidationError(this.issues, source);
  }
}
