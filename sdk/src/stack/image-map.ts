// Image overrides: run a stack with other images than the ones it names, without editing it —
// for example local builds on a machine that cannot pull (see test/images/build-example-images.sh).
//   CLOCKWORK_IMAGE_MAP="prom/prometheus:v2.53.4=clockwork-local/prometheus:2.42,postgres:16.4=clockwork-local/postgres:15"
// An entry `from=to` replaces an image equal to `from`; a `from` without tag or digest
// (`postgres=...`) replaces every tag of that repository. `docker.io/library/` and `docker.io/`
// prefixes are ignored when comparing.
import { UsageError } from '../api/index.ts';
import type { CompiledStack } from './compile.ts';

export interface ImageMapEntry {
  from: string;
  to: string;
}

export interface ImageSubstitution {
  /** Path of the Resource, `webapp/api-service`. */
  resource: string;
  from: string;
  to: string;
}

export class ImageMapError extends UsageError {}

const IMAGE = /^[^\s=,]+$/;

/**
 * Parses `from=to` entries. Each string may hold several, separated by commas, whitespace or
 * newlines; blank parts and `#` comments (to the end of a line) are skipped.
 * @throws ImageMapError naming the malformed entry
 */
export function parseImageMap(sources: readonly string[]): ImageMapEntry[] {
  const entries: ImageMapEntry[] = [];
  for (const source of sources) {
    const parts = source
      .split('\n')
      .map((line) => line.replace(/#.*$/, ''))
      .join(' ')
      .split(/[\s,]+/)
      .filter(Boolean);
    for (const part of parts) {
      const eq = part.indexOf('=');
      const from = part.slice(0, eq);
      const to = part.slice(eq + 1);
      if (eq < 0 || !IMAGE.test(from) || !IMAGE.test(to))
        throw new ImageMapError(`invalid image map entry "${part}": expected from=to, e.g. postgres:16.4=clockwork-local/postgres:15`);
      entries.push({ from, to });
    }
  }
  return entries;
}

/** `docker.io/library/postgres:16` → `postgres:16`, so both spellings compare equal. */
function normalize(image: string): string {
  return image.replace(/^(?:index\.)?docker\.io\/(?:library\/)?/, '');
}

/** The repository part: without `:tag` (a `:` after the last `/`) and `@digest`. */
function repository(image: string): string {
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** The image `image` is replaced with, if an entry matches (an exact entry wins over a repository one). */
export function mapImage(image: string, entries: readonly ImageMapEntry[]): string | undefined {
  const wanted = normalize(image);
  const exact = entries.find((e) => normalize(e.from) === wanted);
  if (exact) return exact.to;
  const byRepository = entries.find((e) => repository(normalize(e.from)) === normalize(e.from) && normalize(e.from) === repository(wanted));
  return byRepository?.to;
}

/** Rewrites `spec.image` of the stack's Resources in place; returns what it replaced. */
export function applyImageMap(stack: CompiledStack, entries: readonly ImageMapEntry[]): ImageSubstitution[] {
  const substitutions: ImageSubstitution[] = [];
  if (entries.length === 0) return substitutions;
  for (const resource of stack.resources) {
    const to = mapImage(resource.spec.image, entries);
    if (to === undefined || to === resource.spec.image) continue;
    substitutions.push({ resource: resource.path, from: resource.spec.image, to });
    resource.spec.image = to;
  }
  return substitutions;
}
