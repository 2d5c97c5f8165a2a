import { resourceSpecFromOptions } from '../stack/resource-options.ts';
import type { ResourceOptions } from '../stack/resource.ts';
import { formatPath } from '../stack/zod-issues.ts';
import { completionSchema, fieldsFromAnswer, type CompletedFields } from './completion-schema.ts';
import type { CompletionModel } from './openai-client.ts';
import { completionMessages, retryMessages, type CompletionContext } from './prompt.ts';

export const DEFAULT_MAX_ATTEMPTS = 3;

export type AskResult = { ok: true; fields: CompletedFields; attempts: number } | { ok: false; problems: string[]; attempts: number };

/**
 * Asks the model for the missing fields of one Resource and validates the answer with the same
 * schemas as hand-written specs. An invalid answer is sent back with its problems, up to
 * `maxAttempts` requests in all. Network and API errors are not retried here (the client
 * already retries them) and propagate.
 */
export async function askModel(options: { model: CompletionModel; context: CompletionContext; user: ResourceOptions; maxAttempts?: number }): Promise<AskResult> {
  const { model, context, user } = options;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const schema = completionSchema(context.missing);
  const before = new Set(specProblems(user));
  let messages = completionMessages(context);
  let problems: string[] = [];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const answer = await model.answer({ messages, schema });
    const checked = checkAnswer(answer, context, user, before);
    if (checked.ok) return { ok: true, fields: checked.fields, attempts: attempt };
    problems = checked.problems;
    messages = [...messages, ...retryMessages(answer, problems)];
  }
  return { ok: false, problems, attempts: maxAttempts };
}

function specProblems(options: ResourceOptions): string[] {
  return resourceSpecFromOptions(options, []).problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`);
}

/** The problems of an answer: not JSON, not the requested shape, or an invalid spec once merged. */
export function checkAnswer(
  answer: string,
  context: CompletionContext,
  user: ResourceOptions,
  problemsBefore: ReadonlySet<string> = new Set(specProblems(user)),
): { ok: true; fields: CompletedFields } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(answer);
  } catch (error) {
    return { ok: false, problems: [`the answer is not JSON (${(error as Error).message})`] };
  }
  const parsed = completionSchema(context.missing).safeParse(json);
  if (!parsed.success)
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.length ? `${formatPath(i.path)}: ` : ''}${i.message}`) };
  const fields = fieldsFromAnswer(parsed.data, context.missing);
  // Problems the user's own fields already had are not the model's to fix (compile reports them).
  const problems = specProblems({ ...user, ...fields }).filter((p) => !problemsBefore.has(p));
  return problems.length ? { ok: false, problems } : { ok: true, fields };
}
