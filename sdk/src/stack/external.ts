import { parseDependencyRef, type DependencyRef } from '../api/dependency-ref.ts';

/**
 * Something a stack depends on but does not create: a Resource or Composite applied from
 * another stack or namespace. Written in the annotation syntax: `[namespace/]name` or
 * `composite:[namespace/]name`.
 */
export class ExternalRef {
  readonly ref: DependencyRef;

  constructor(ref: string) {
    this.ref = parseDependencyRef(ref);
  }

  toString(): string {
    return `external(${this.ref.kind === 'Composite' ? 'composite:' : ''}${this.ref.namespace ? `${this.ref.namespace}/` : ''}${this.ref.name})`;
  }
}

export function external(ref: string): ExternalRef {
  return new ExternalRef(ref);
}
