import { renderGraph, type GraphFormat } from '../../plan/render-graph.ts';
import { compileStackFile } from '../compile-file.ts';
import type { Output } from '../output.ts';

export interface GraphOptions {
  file: string;
  namespace?: string;
  imageMap?: readonly string[] | undefined;
  format: GraphFormat;
}

/** `clockwork graph`: the dependency graph with composite boundaries, as Mermaid or Graphviz dot. */
export async function graph(options: GraphOptions, io: Output): Promise<number> {
  const stack = await compileStackFile(options.file, { namespace: options.namespace, imageMap: options.imageMap, report: io.err });
  io.out(renderGraph(stack, options.format));
  return 0;
}
