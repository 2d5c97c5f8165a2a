import { ApiException } from '@kubernetes/client-node/dist/gen/apis/exception.js';

/** The HTTP status of a failed API call, whichever client made it. */
export function statusCode(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  const e = error as { code?: unknown; statusCode?: unknown } | undefined;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return typeof e?.code === 'number' ? e.code : undefined;
}

export const isNotFound = (error: unknown): boolean => statusCode(error) === 404;
export const isConflict = (error: unknown): boolean => statusCode(error) === 409;

/** Resolves when `call` succeeds or the object is gone already. */
export async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** A short description of an API error (the Status message when there is one). */
export function describeError(error: unknown): string {
  if (error instanceof ApiException) {
    const body = error.body as unknown;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    try {
      const parsed = JSON.parse(text) as { message?: string };
      if (parsed.message) return `${error.code}: ${parsed.message}`;
    } catch (parseError) {
      if (!(parseError instanceof SyntaxError)) throw parseError;
      // Not JSON: the body as it is.
    }
    return `${error.code}: ${text.slice(0, 300)}`;
  }
  return error instanceof Error ? error.message : String(error);
}
