/**
 * What an http assertion's `path` may be. The path is appended to the Resource's own Service
 * (directly, or behind the API server's proxy prefix `/api/v1/namespaces/<ns>/services/<name>:<port>/proxy`),
 * so it must never be able to climb out of it: no dot segments (plain or percent-encoded), no
 * encoded `/`, `\`, `%`, `?` or `#`, no fragment, nothing outside the URL path characters. The
 * same rules run in zod (the SDK), as CEL (the apiserver) and again before every request.
 */

/** RFC 3986 path characters plus `/` and a query after `?`; no `#`, `\`, spaces or controls. */
export const PATH_CHARACTERS = /^\/[A-Za-z0-9._~!$&'()*+,;=:@\/%?-]*$/;
/** A `%` that does not start two hex digits. */
export const BAD_PERCENT = /%([^0-9A-Fa-f]|.[^0-9A-Fa-f]|.?$)/;
/** Percent-encodings of `#`, `%`, `.`, `/`, `?`, `\` and of control characters. */
export const ENCODED_SEPARATOR = /%(2[35EeFf]|3[Ff]|5[Cc]|[01][0-9A-Fa-f]|7[Ff])/;
/** `//` at the start: a network-path reference to URL resolvers. */
export const NETWORK_PATH = /^\/\//;
/** A `.` or `..` segment before the query. */
export const DOT_SEGMENT = /^[^?]*\/\.\.?(\/|\?|$)/;

const RULES: { pattern: RegExp; forbidden: boolean; message: string }[] = [
  { pattern: PATH_CHARACTERS, forbidden: false, message: 'must start with "/" and contain only URL path characters (no "#", "\\", spaces or control characters)' },
  { pattern: BAD_PERCENT, forbidden: true, message: 'has a "%" that does not start a percent-encoding (two hex digits)' },
  { pattern: ENCODED_SEPARATOR, forbidden: true, message: 'may not percent-encode ".", "/", "\\", "%", "?", "#" or control characters' },
  { pattern: NETWORK_PATH, forbidden: true, message: 'may not start with "//"' },
  { pattern: DOT_SEGMENT, forbidden: true, message: 'may not contain "." or ".." segments' },
];

/** Why `path` may not be used, or undefined when it is confined to its Service. */
export function assertionPathProblem(path: string): string | undefined {
  for (const rule of RULES) if (rule.pattern.test(path) === rule.forbidden) return rule.message;
  return undefined;
}

/** The same rules for the apiserver (CEL's `matches` is RE2; these patterns mean the same there). */
export const ASSERTION_PATH_CEL = RULES.map((r) => ({ rule: `${r.forbidden ? '!' : ''}self.matches(${celString(r.pattern.source)})`, message: `path ${r.message}` }));

function celString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
