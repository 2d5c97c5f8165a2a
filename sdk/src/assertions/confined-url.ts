import { ClockworkError } from '../api/index.ts';
import { assertionPathProblem } from '../api/assertion-path.ts';

/** A path that would leave the place it is confined to: refused before any request is made. */
export class PathNotConfinedError extends ClockworkError {
  constructor(path: string, reason: string) {
    super(`path ${JSON.stringify(path.slice(0, 200))} refused: ${reason}`);
  }
}

/**
 * `base` + `prefix` + `path` as a URL whose path provably starts with `prefix/`: the path passes
 * the schema's rules again (an object stored before they existed, or a caller that skipped
 * validation), and the parsed URL is compared with the string it came from, so no resolution
 * step (dot segments, encodings) can move it. `base` may carry a path of its own (an API server
 * behind a path prefix), which is kept.
 */
export function confinedUrl(base: string, prefix: string, path: string): URL {
  const problem = assertionPathProblem(path);
  if (problem) throw new PathNotConfinedError(path, problem);
  const root = new URL(base);
  const fixed = `${root.pathname.replace(/\/+$/, '')}${prefix}`;
  const url = new URL(`${root.origin}${fixed}${path}`);
  const query = path.indexOf('?');
  const wantPath = `${fixed}${query === -1 ? path : path.slice(0, query)}`;
  if (url.pathname !== wantPath || url.hash !== '' || !url.pathname.startsWith(`${fixed}/`) || url.origin !== root.origin)
    throw new PathNotConfinedError(path, `it would leave ${fixed || '/'}`);
  return url;
}
