import type { CompositeSpec } from '../api/index.ts';
import { addParent, type StackNode } from './membership.ts';
import { StackMember } from './stack-member.ts';

/** What `new Composite({...})` takes: the fields of `Composite.spec`, documented as in the CRD, and metadata. */
export interface CompositeOptions extends CompositeSpec {
  /** The Composite's name: a DNS-1123 label, unique in its namespace; its children carry it in the clockwork.dev/composite label. */
  name: string;
  /** Copied onto the Composite object. */
  labels?: Record<string, string>;
  /** Copied onto the Composite object. */
  annotations?: Record<string, string>;
}

/** A group of Resources and Composites deployed and destroyed together. Composites nest. */
export class Composite extends StackMember {
  declare name: string;
  declare description?: string;
  declare labels?: Record<string, string>;
  declare annotations?: Record<string, string>;
  readonly #order: StackNode[] = [];

  constructor(options: CompositeOptions) {
    super();
    this.assignOptions(options);
  }

  /** Adds children. A child may belong to one Composite only; that is checked on compile. */
  add(...children: StackNode[]): this {
    for (const child of children) {
      if (this.#order.includes(child)) continue;
      this.#order.push(child);
      addParent(child, this);
    }
    return this;
  }

  /** Children by name, read-only: `webapp.children.get('api-service')`. */
  get children(): ReadonlyMap<string, StackNode> {
    const children = new Map<string, StackNode>();
    for (const child of this.#order) if (!children.has(child.name)) children.set(child.name, child);
    return children;
  }

  /** Children in the order they were added (duplicates by name included, for validation). */
  get members(): readonly StackNode[] {
    return [...this.#order];
  }


  toOptions(): CompositeOptions {
    return { ...this };
  }
}
