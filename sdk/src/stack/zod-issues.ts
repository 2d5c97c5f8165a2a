import type { z } from 'zod';

/** `['ports', 1, 'port']` → `ports[1].port`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out;
}

/** The field names an object schema accepts at `path`, for "did you mean" hints. */
export function fieldNamesAt(schema: z.ZodType, path: readonly PropertyKey[]): readonly string[] | undefined {
  let node: z.core.$ZodType | undefined = schema;
  const unwrap = () => {
    for (;;) {
      const def: z.core.$ZodTypeDef & { innerType?: z.core.$ZodType; in?: z.core.$ZodType } = node!._zod.def;
      if (def.innerType) node = def.innerType;
      else if (def.type === 'pipe' && def.in) node = def.in;
      else return;
    }
  };
  for (const part of path) {
    unwrap();
    const def = node!._zod.def as z.core.$ZodTypeDef & { shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType };
    if (typeof part === 'number' && def.element) node = def.element;
    else if (typeof part === 'string' && def.shape) node = def.shape[part];
    else return undefined;
    if (!node) return undefined;
  }
  unwrap();
  const def = node!._zod.def as z.core.$ZodTypeDef & { shape?: Record<string, unknown> };
  return def.shape ? Object.keys(def.shape) : undefined;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** Turns zod issues into `{ field, message }` pairs, one per unknown key. */
export function describeZodIssues(
  issues: readonly z.core.$ZodIssue[],
  knownKeysAt: (path: readonly PropertyKey[]) => readonly string[] | undefined,
): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(issue.path) ?? [];
      for (const key of issue.keys) {
        const hint = closest(key, known);
        out.push({ field: formatPath([...issue.path, key]), message: `unknown field${hint ? ` (did you mean "${hint}"?)` : ''}` });
      }
      continue;
    }
    if (issue.code === 'invalid_union' && 'errors' in issue && issue.errors.length > 0) {
      // Report the branch that got furthest instead of "invalid input".
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
      out.push(...describeZodIssues(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })), knownKeysAt));
      continue;
    }
    out.push({ field: formatPath(issue.path), message: issue.message });
  }
  return out;
}
