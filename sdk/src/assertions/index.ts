export { runAssertion, type AssertionResult } from './run-assertion.ts';
export { nextAssertionStatus, nextCheckDelayMs } from './tracker.ts';
export { directTarget } from './direct-target.ts';
export { ASSERTION_DEFAULTS, type AssertionTarget } from './target.ts';
export { confinedUrl, PathNotConfinedError } from './confined-url.ts';
export { httpGet, readCapped, MAX_READ_BYTES, type HttpGetResult } from './http-get.ts';
export { UrlPolicy, UrlNotAllowedError, UrlPolicyEntryError, PRIVATE_RANGES, URL_POLICY_FLAG } from './url-policy.ts';
export { UserRegexRunner, userRegexes, REGEX_BUDGET_MS, RegexBudgetError } from './user-regex.ts';
