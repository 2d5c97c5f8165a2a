import { assertionKind, assertionNames, resolvePort, type AssertionSpec, type PortSpec } from '../api/index.ts';
import { MAX_READ_BYTES } from './http-get.ts';
import { ASSERTION_DEFAULTS, type AssertionTarget } from './target.ts';
import { REGEX_BUDGET_MS, userRegexes, type UserRegexRunner } from './user-regex.ts';

export interface AssertionResult {
  name: string;
  kind: string;
  passed: boolean;
  /** What was expected and what was seen. */
  message: string;
  durationMs: number;
}

const MAX_SHOWN_BODY = 120;

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SHOWN_BODY ? `${flat.slice(0, MAX_SHOWN_BODY)}…` : flat;
}

/**
 * Runs one assertion once against a target. Never throws: a failure is a result. `name` is the
 * one `assertionNames` gives it among the Resource's assertions.
 */
export async function runAssertion(
  spec: AssertionSpec,
  ports: readonly PortSpec[],
  target: AssertionTarget,
  options: { name?: string; clock?: () => number; regexes?: UserRegexRunner } = {},
): Promise<AssertionResult> {
  const name = options.name ?? assertionNames([spec])[0]!;
  const clock = options.clock ?? performance.now.bind(performance);
  const regexes = options.regexes ?? userRegexes;
  const kind = assertionKind(spec);
  const timeoutMs = (spec.timeoutSeconds ?? ASSERTION_DEFAULTS.timeoutSeconds) * 1000;
  const started = clock();
  const result = (passed: boolean, message: string): AssertionResult => ({ name, kind, passed, message, durationMs: Math.round(clock() - started) });
  try {
    if (spec.http) {
      const h = spec.http;
      const port = h.port === undefined ? undefined : resolvePort(ports, h.port);
      if (h.port !== undefined && port === undefined) return result(false, `no port named "${h.port}"`);
      const where = h.url ?? `port ${port}${h.path ?? '/'}`;
      const response = await withTimeout(target.httpGet({ ...(port !== undefined ? { port } : {}), ...(h.path ? { path: h.path } : {}), ...(h.url ? { url: h.url } : {}), timeoutMs }), timeoutMs, `GET ${where}`);
      const latency = Math.round(clock() - started);
      // A URL may name anything the checker can reach, so its answer never shows: only pass or
      // fail, the status code and the time. A port of the Resource's own is the author's to read.
      const got = (body: string) => (h.url ? '' : `, got "${shorten(body)}"${response.truncated ? ` (the first ${MAX_READ_BYTES} bytes)` : ''}`);
      const statusOk = h.status === undefined ? response.status >= 200 && response.status < 300 : response.status === h.status;
      if (!statusOk) return result(false, `GET ${where}: expected status ${h.status ?? '2xx'}, got ${response.status}${response.body && !h.url ? ` (${shorten(response.body)})` : ''}`);
      if (h.bodyContains !== undefined && !response.body.includes(h.bodyContains)) return result(false, `GET ${where}: expected the body to contain "${h.bodyContains}"${got(response.body)}`);
      if (h.bodyMatches !== undefined && !(await regexes.test(h.bodyMatches, response.body, { budgetMs: regexBudget(timeoutMs, clock() - started) })))
        return result(false, `GET ${where}: expected the body to match /${h.bodyMatches}/${got(response.body)}`);
      if (h.maxLatencyMs !== undefined && latency > h.maxLatencyMs) return result(false, `GET ${where}: took ${latency} ms, more than ${h.maxLatencyMs} ms`);
      return result(true, `GET ${where}: ${response.status} in ${latency} ms`);
    }
    if (spec.tcp) {
      const port = resolvePort(ports, spec.tcp.port);
      if (port === undefined) return result(false, `no port named "${spec.tcp.port}"`);
      await withTimeout(target.tcpConnect(port, timeoutMs), timeoutMs, `connect to port ${port}`);
      return result(true, `port ${port} accepts connections`);
    }
    if (spec.running) {
      const state = await withTimeout(target.running(), timeoutMs, 'check the process');
      return result(state.running, state.message);
    }
    const l = spec.logContains!;
    const log = await withTimeout(target.logs(l.sinceSeconds), timeoutMs, 'read the log');
    const found = l.text !== undefined ? log.includes(l.text) : await regexes.test(l.regex!, log, { multiline: true, budgetMs: regexBudget(timeoutMs, clock() - started) });
    const what = l.text !== undefined ? `"${l.text}"` : `/${l.regex}/`;
    const window = l.sinceSeconds ? ` in the last ${l.sinceSeconds}s` : '';
    return result(found, found ? `the log contains ${what}${window}` : `expected the log to contain ${what}${window}; not found in ${log.split('\n').filter(Boolean).length} lines`);
  } catch (error) {
    return result(false, (error as Error).message);
  }
}

/** What is left of the check's timeout, at most the regex budget (and never nothing). */
function regexBudget(timeoutMs: number, elapsedMs: number): number {
  return Math.max(100, Math.min(REGEX_BUDGET_MS, timeoutMs - elapsedMs));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
