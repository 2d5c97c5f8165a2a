import { ClockworkError } from '../api/index.ts';
import type { z } from 'zod';
import type { ChatMessage } from './prompt.ts';

/** What completion needs from a model: one structured answer (raw JSON text) per request. */
export interface CompletionModel {
  /** The model name, recorded in the lock file. */
  readonly model: string;
  /** Where it is served, for error messages. */
  readonly endpoint: string;
  answer(request: { messages: readonly ChatMessage[]; schema: z.ZodObject }): Promise<string>;
}

/** Completion is needed but no model is configured: no network was attempted. */
export class ModelConfigError extends ClockworkError {
  constructor(message: string) {
    super(message);
  }
}

export interface ModelSettings {
  /** `--model`; falls back to `CLOCKWORK_MODEL`. */
  model?: string | undefined;
  /** Where OPENAI_BASE_URL, OPENAI_API_KEY and CLOCKWORK_MODEL are read; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** HTTP-level retries of the openai client (connection errors, 429, 5xx). */
  maxRetries?: number;
  timeoutMs?: number;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * An OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, LM Studio, vLLM …) asked for
 * structured output. The `openai` package is loaded only here, and only when a model is needed.
 *
 * `chat.completions.create` with `zodResponseFormat` sends the same request as
 * `chat.completions.parse`; it is used because `parse` throws on an answer that does not match
 * the schema and loses the answer, which the retry wants to show the model with its problems.
 */
export async function openAIModel(settings: ModelSettings = {}): Promise<CompletionModel> {
  const env = settings.env ?? process.env;
  const model = settings.model ?? env['CLOCKWORK_MODEL'];
  if (!model) throw new ModelConfigError('no model configured: set CLOCKWORK_MODEL or pass --model (and OPENAI_BASE_URL / OPENAI_API_KEY for the endpoint)');
  const baseURL = env['OPENAI_BASE_URL'] || DEFAULT_BASE_URL;
  // A local server (Ollama, LM Studio, vLLM) takes any key; OpenAI itself needs a real one.
  const apiKey = env['OPENAI_API_KEY'] || (baseURL === DEFAULT_BASE_URL ? undefined : 'unused');
  if (!apiKey) throw new ModelConfigError('OPENAI_API_KEY is not set (for a local OpenAI-compatible server, set OPENAI_BASE_URL)');
  const [{ default: OpenAI }, { zodResponseFormat }] = await Promise.all([import('openai'), import('openai/helpers/zod')]);
  const client = new OpenAI({ baseURL, apiKey, maxRetries: settings.maxRetries ?? 2, timeout: settings.timeoutMs ?? 300_000 });
  return {
    model,
    endpoint: baseURL,
    async answer({ messages, schema }) {
      const completion = await client.chat.completions.create({
        model,
        messages: messages.map((m) => ({ role: m.role, content: m.content })),
        response_format: zodResponseFormat(schema, 'completion'),
        temperature: 0,
      });
      const choice = completion.choices[0];
      if (!choice) throw new Error('the model returned no choices');
      if (choice.message.refusal) return `(refused: ${choice.message.refusal})`;
      return choice.message.content ?? '';
    },
  };
}
