import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake server received: one chat-completions request body. */
export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: { properties?: Record<string, unknown>; required?: string[] } } };
}

/** A scripted answer: the assistant's content (a JSON text), or computed from the request. */
export type ScriptedAnswer = string | object | ((request: ChatRequest) => string | object);

export interface FakeModelServer {
  /** `http://127.0.0.1:PORT/v1`, for OPENAI_BASE_URL. */
  baseURL: string;
  requests: ChatRequest[];
  /** The env a client needs: base URL, a dummy key and a model name. */
  env: Record<string, string>;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An OpenAI-compatible server on 127.0.0.1 (random port) that answers POST /v1/chat/completions
 * with the scripted answers in turn, repeating the last one when they run out.
 */
export async function startFakeModel(answers: readonly ScriptedAnswer[]): Promise<FakeModelServer> {
  const requests: ChatRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const request = JSON.parse(await body(req)) as ChatRequest;
    requests.push(request);
    const scripted = answers[Math.min(requests.length, answers.length) - 1]!;
    let value: string | object;
    try {
      value = typeof scripted === 'function' ? scripted(request) : scripted;
    } catch (error) {
      // A broken script fails the request at once (400 is not retried) instead of hanging it.
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `fake model script failed: ${(error as Error).message}` } }));
      return;
    }
    const content = typeof value === 'string' ? value : JSON.stringify(value);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: request.model,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    baseURL,
    requests,
    env: { OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: 'dummy-key', CLOCKWORK_MODEL: 'test-model' },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The user message of a request: the prompt that describes the Resource. */
export function promptOf(request: ChatRequest): string {
  return request.messages.find((m) => m.role === 'user')!.content;
}
