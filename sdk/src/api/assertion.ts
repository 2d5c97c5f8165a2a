import { z } from 'zod';
import { ASSERTION_PATH_CEL, assertionPathProblem } from './assertion-path.ts';
import { portRef } from './names.ts';
import { regexSyntaxProblem } from './regex-syntax.ts';
import type { ResourceSpec } from './types.generated.ts';

export const ASSERTION_KINDS = ['http', 'tcp', 'running', 'logContains'] as const;
export type AssertionKind = (typeof ASSERTION_KINDS)[number];

export const httpAssertionSchema = z
  .strictObject({
    url: z
      .string()
      .max(2048)
      .regex(/^https?:\/\//, { message: 'must be an http:// or https:// URL' })
      .optional()
      .describe("An absolute URL to GET instead of a port of this Resource. The operator fetches it only when its installer allows the host (--allow-assertion-urls), and reports only pass or fail, the status code and the time taken; on Docker it is fetched as the user."),
    port: portRef.optional().describe('A port of this Resource, by number or name, to GET path from (instead of url).'),
    path: z
      .string()
      .max(2048)
      .superRefine((path, ctx) => {
        const problem = assertionPathProblem(path);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .meta({ 'x-kubernetes-validations': ASSERTION_PATH_CEL })
      .optional()
      .describe("The path to GET on this Resource's own port (default \"/\"): no dot segments, no encoded separators, no fragment."),
    status: z.number().int().min(100).max(599).optional().describe('The expected status code (default: any 2xx).'),
    bodyContains: z.string().max(4096).optional().describe('Text the response body must contain (within its first 1 MiB).'),
    bodyMatches: z.string().max(4096).optional().describe('A regular expression (RE2 syntax) the response body must match (within its first 1 MiB).'),
    maxLatencyMs: z.number().int().min(1).max(600000).optional().describe('The slowest acceptable answer, in milliseconds (default: no limit beyond timeoutSeconds).'),
  })
  .superRefine((h, ctx) => {
    if ((h.url === undefined) === (h.port === undefined))
      ctx.addIssue({ code: 'custom', message: 'exactly one of url or port must be set' });
    if (h.url !== undefined && h.path !== undefined)
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'path goes with port; put the path in the url' });
    const bodyProblem = h.bodyMatches === undefined ? undefined : regexSyntaxProblem(h.bodyMatches);
    if (bodyProblem) ctx.addIssue({ code: 'custom', path: ['bodyMatches'], message: bodyProblem });
  })
  .meta({
    'x-kubernetes-validations': [
      { rule: 'has(self.url) != has(self.port)', message: 'exactly one of url or port must be set' },
      { rule: '!(has(self.url) && has(self.path))', message: 'path goes with port; put the path in the url' },
    ],
  })
  .describe('Passes when an HTTP GET answers as expected: exactly one of port (with path) or url.');

export const tcpAssertionSchema = z
  .strictObject({ port: portRef.describe("A port of this Resource, by number or name.") })
  .describe('Passes when the port accepts a TCP connection.');
export const runningAssertionSchema = z.strictObject({}).describe('Passes while the workload runs (Pod phase Running with every container running; on Docker, the container running). Written as {}.');
export const logContainsAssertionSchema = z
  .strictObject({
    text: z.string().min(1).max(4096).optional().describe('Text a log line must contain.'),
    regex: z.string().min(1).max(4096).optional().describe('A regular expression (RE2 syntax, multiline) a log line must match.'),
    sinceSeconds: z.number().int().min(1).max(86400).optional().describe('Only the last sinceSeconds seconds of the log count (default: the whole log).'),
  })
  .superRefine((l, ctx) => {
    if ((l.text === undefined) === (l.regex === undefined)) ctx.addIssue({ code: 'custom', message: 'exactly one of text or regex must be set' });
    const regexProblem = l.regex === undefined ? undefined : regexSyntaxProblem(l.regex, { multiline: true });
    if (regexProblem) ctx.addIssue({ code: 'custom', path: ['regex'], message: regexProblem });
  })
  .meta({ 'x-kubernetes-validations': [{ rule: 'has(self.text) != has(self.regex)', message: 'exactly one of text or regex must be set' }] })
  .describe("Passes when the workload's log (stdout and stderr) has a matching line: exactly one of text or regex.");

export const assertionSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .max(63)
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be lowercase letters, digits and "-"' })
      .optional()
      .describe('The name results are reported under, unique within the Resource (default: derived from the kind and target, such as http-8000-health or tcp-5432).'),
    http: httpAssertionSchema.optional(),
    tcp: tcpAssertionSchema.optional(),
    running: runningAssertionSchema.optional(),
    logContains: logContainsAssertionSchema.optional(),
    intervalSeconds: z.number().int().min(1).max(86400).optional().describe('Seconds between checks once it has passed (default 10); before its first pass it is retried sooner, from 250 ms doubling up to this.'),
    timeoutSeconds: z.number().int().min(1).max(3600).optional().describe('Seconds one check may take before it counts as failed (default 5).'),
    failureThreshold: z.number().int().min(1).max(1000).optional().describe('Failed checks in a row that turn a passing assertion failed (default 3); one that never passed fails at once.'),
  })
  .superRefine((a, ctx) => {
    const set = ASSERTION_KINDS.filter((k) => a[k] !== undefined);
    if (set.length !== 1)
      ctx.addIssue({ code: 'custom', message: `exactly one of ${ASSERTION_KINDS.join(', ')} must be set, found ${set.length ? set.join(', ') : 'none'}` });
  })
  .meta({
    'x-kubernetes-validations': [
      { rule: `[${ASSERTION_KINDS.map((k) => `has(self.${k})`).join(', ')}].filter(x, x).size() == 1`, message: `exactly one of ${ASSERTION_KINDS.join(', ')} must be set` },
    ],
  })
  .describe('A check that the running workload works, run by the operator (or the CLI on Docker): exactly one of http, tcp, running or logContains. Results are in status.assertions and the AssertionsPassed condition.');

export type AssertionSpec = NonNullable<ResourceSpec['assertions']>[number];

export function assertionKind(a: AssertionSpec): AssertionKind {
  const kind = ASSERTION_KINDS.find((k) => a[k] !== undefined);
  if (!kind) throw new Error('assertion has no kind');
  return kind;
}

/**
 * The names assertions are reported under: each one's own, or one derived from what it checks
 * (`http-8000-health`, `tcp-5432`, `running`, `log-contains`), made unique with a suffix.
 */
export function assertionNames(list: readonly AssertionSpec[]): string[] {
  const taken = new Set(list.flatMap((a) => (a.name ? [a.name] : [])));
  return list.map((a) => {
    if (a.name) return a.name;
    const base = derivedName(a);
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
    taken.add(name);
    return name;
  });
}

function derivedName(a: AssertionSpec): string {
  if (a.http) return a.http.url ? 'http' : `http-${a.http.port}${(a.http.path ?? '/').replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '')}`.toLowerCase();
  if (a.tcp) return `tcp-${a.tcp.port}`;
  if (a.running) return 'running';
  return 'log-contains';
}
