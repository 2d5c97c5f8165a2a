import { DNS_LABEL_PATTERN } from './names.ts';

/** One entry of the `clockwork.dev/depends-on` annotation. */
export interface DependencyRef {
  kind: 'Resource' | 'Composite';
  /** Left out: the dependent's own namespace. */
  namespace?: string;
  name: string;
}

export class DependencyRefError extends Error {
  readonly input: string;

  constructor(input: string, reason: string) {
    super(`invalid dependency "${input}": ${reason} (expected [namespace/]name or composite:[namespace/]name)`);
    this.name = 'DependencyRefError';
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

/** Parses the whole annotation value; every bad entry is reported, none dropped silently. */
export function parseDependsOnAnnotation(value: string | undefined): { refs: DependencyRef[]; errors: DependencyRefError[] } {
  const refs: DependencyRef[] = [];
  const errors: DependencyRefError[] = [];
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
