import type { ResourceObject } from '../../api/index.ts';
import type { CompiledStack } from '../../stack/compile.ts';
import type { StackReport } from '../../targets/target.ts';

/** What a source read: one report per stack shown, and the Resources as applied (by `namespace/name`). */
export interface SourceUpdate {
  reports: StackReport[];
  specs: Map<string, ResourceObject>;
}

export interface SourceListener {
  /** The stacks as they are now. */
  update(update: SourceUpdate): void;
  /** Something beside the reports changed (a timeline entry). */
  changed(): void;
  /** The target could not be read just now (undefined: it can again). */
  error(message: string | undefined): void;
}

/** What is shown: one stack file's stack, or every stack of a namespace (undefined: of all). */
export type DashboardScope = { stack: CompiledStack } | { namespace: string | undefined };

/**
 * Where the dashboard's data comes from: the Docker engine (events, probes and assertions run
 * read-only) or the cluster (watches). Read-only: a source never changes anything.
 */
export interface DashboardSource {
  readonly target: 'docker' | 'kubernetes';
  /** Reads once, then keeps `listener` told of every change until `stop`. */
  start(listener: SourceListener): Promise<void>;
  /** Shows another stack (the stack file changed). */
  setScope(scope: DashboardScope): void;
  stop(): Promise<void>;
}
