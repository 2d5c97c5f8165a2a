import { z } from 'zod';
import { ClockworkError } from './errors.ts';
import { DNS_LABEL_PATTERN } from './names.ts';

/**
 * Bounds of the `clockwork.dev/depends-on` annotation: a Resource's dependencies are kept in
 * its status (and woken through an index), so an unbounded list would make every status write
 * fail. The same bounds run in zod (the SDK, the operator) and as CEL in the admission policy
 * that ships beside the CRDs.
 */
export const MAX_DEPENDS_ON_ENTRIES = 64;
export const MAX_DEPENDS_ON_LENGTH = 8192;
/** One entry: `[composite:][namespace/]name`, each part a DNS-1123 label. */
export const DEPENDENCY_REF_PATTERN = /^\s*(composite:)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\/)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\s*$/;

const entries = (value: string) => value.split(',').filter((e) => e.trim() !== '');
export const dependsOnAnnotationSchema = z
  .string()
  .max(MAX_DEPENDS_ON_LENGTH, { message: `is longer than ${MAX_DEPENDS_ON_LENGTH} characters` })
  .refine((v) => entries(v).length <= MAX_DEPENDS_ON_ENTRIES, { message: `lists more than ${MAX_DEPENDS_ON_ENTRIES} dependencies` });

/** One entry of the `clockwork.dev/depends-on` annotation. */
export interface DependencyRef {
  kind: 'Resource' | 'Composite';
  /** Left out: the dependent's own namespace. */
  namespace?: string;
  name: string;
}

export class DependencyRefError extends ClockworkError {
  readonly input: string;

  constructor(input: string, reason: string) {
    super(`invalid dependency "${input}": ${reason} (expected [namespace/]name or composite:[namespace/]name)`);
    this.input = input;
  }
}

export function parseDependencyRef(input: string): DependencyRef {
  const text = input.trim();
  const isComposite = text.startsWith('composite:');
  const body = isComposite ? text.slice('composite:'.length) : text;
  const parts = body.split('/');
  if (parts.length > 2) throw new DependencyRefError(input, 'too many "/"');
  const [namespace, name] = parts.length === 2 ? [parts[0], parts[1]] : [undefined, parts[0]];
  for (const part of [namespace, name]) {
    if (part === undefined) continue;
    if (!DNS_LABEL_PATTERN.test(part) || part.length > 63) throw new DependencyRefError(input, `"${part}" is not a DNS-1123 label`);
  }
  return { kind: isComposite ? 'Composite' : 'Resource', ...(namespace ? { namespace } : {}), name: name! };
}

/**
 * Parses the whole annotation value; every bad entry is reported, none dropped silently. Over
 * the bounds, nothing is parsed: one error says so (a Resource waits on all of its dependencies
 * or on none).
 */
export function parseDependsOnAnnotation(value: string | undefined): { refs: DependencyRef[]; errors: DependencyRefError[] } {
  const refs: DependencyRef[] = [];
  const errors: DependencyRefError[] = [];
  const bounded = dependsOnAnnotationSchema.safeParse(value ?? '');
  if (!bounded.success) {
    errors.push(new DependencyRefError(`${(value ?? '').slice(0, 40)}…`, `the clockwork.dev/depends-on annotation ${bounded.error.issues[0]!.message} (at most ${MAX_DEPENDS_ON_ENTRIES} entries and ${MAX_DEPENDS_ON_LENGTH} characters)`));
    return { refs, errors };
  }
  for (const entry of (value ?? '').split(',')) {
    if (entry.trim() === '') continue;
    try {
      refs.push(parseDependencyRef(entry));
    } catch (e) {
      errors.push(e as DependencyRefError);
    }
  }
  return { refs, errors };
}

export function formatDependencyRef(ref: DependencyRef, fromNamespace?: string): string {
  const ns = ref.namespace && ref.namespace !== fromNamespace ? `${ref.namespace}/` : '';
  return `${ref.kind === 'Composite' ? 'composite:' : ''}${ns}${ref.name}`;
}
