import { Dag } from '../graph/index.ts';
import type { CompiledStack } from '../stack/compile.ts';

/** What the loading worker is asked. */
export interface LoadRequest {
  file: string;
  namespace?: string | undefined;
}

/** A compiled stack as plain data (it crosses a thread boundary): the graph as its edges. */
export interface SerializedStack extends Omit<CompiledStack, 'graph'> {
  edges: [string, string[]][];
}

/** What the loading worker answers: the stack or why it does not compile, and the files it came from. */
export type LoadResponse = { ok: true; stack: SerializedStack; watched: string[] } | { ok: false; error: string; watched: string[] };

export function serializeStack(stack: CompiledStack): SerializedStack {
  const { graph, ...rest } = stack;
  return { ...rest, edges: graph.nodes.map((n) => [n, [...graph.dependenciesOf(n)]]) };
}

export function reviveStack(data: SerializedStack): CompiledStack {
  const { edges, ...rest } = data;
  return { ...rest, graph: Dag.build(new Map(edges)) };
}
