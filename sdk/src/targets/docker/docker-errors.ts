/** The HTTP status of a failed Docker Engine API call (dockerode puts it on the error). */
export function statusCode(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** Resolves when `call` succeeds or fails with `status` (404: already gone, 409: already there). */
export async function ignoreStatus(status: number, call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (statusCode(error) !== status) throw error;
  }
}

/** The engine's message without dockerode's "(HTTP code 500) server error -" prefix. */
export function dockerMessage(error: unknown): string {
  const e = error as { json?: { message?: string }; message?: string };
  return e.json?.message ?? e.message?.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim() ?? String(error);
}
