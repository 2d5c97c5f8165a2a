import dagre from '@dagrejs/dagre';
import type { StackView } from '../dashboard/dashboard-model.ts';

export const NODE_WIDTH = 236;
export const NODE_HEIGHT = 78;
const EXTERNAL_WIDTH = 190;
const EXTERNAL_HEIGHT = 44;
/** Room above a Composite's members for its title. */
const COMPOSITE_TITLE = 26;

export interface Point {
  x: number;
  y: number;
}

export interface NodeBox {
  id: string;
  /** Centre. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  resources: Map<string, NodeBox>;
  composites: Map<string, NodeBox>;
  external: Map<string, NodeBox>;
  /** By edge id; from the dependent to its dependency. */
  edges: Map<string, Point[]>;
}

/** What the layout depends on: positions move only when the graph itself changes, not its states. */
export function layoutKey(stack: StackView): string {
  return JSON.stringify([stack.resources.map((r) => [r.id, r.composite]), stack.composites.map((c) => [c.id, c.composite]), stack.edges.map((e) => e.id), stack.external.map((x) => x.id)]);
}

/**
 * Lays the stack out with dagre: dependencies above their dependents (start order reads top to
 * bottom), each Composite a cluster around its members. An edge to a Composite is laid out as
 * edges to each of its members and drawn to the Composite's boundary.
 */
export function layoutStack(stack: StackView): GraphLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'BT', nodesep: 36, ranksep: 64, marginx: 16, marginy: 16 + COMPOSITE_TITLE });
  g.setDefaultEdgeLabel(() => ({}));
  for (const c of stack.composites) g.setNode(c.id, {});
  for (const c of stack.composites) if (c.composite && g.hasNode(c.composite)) g.setParent(c.id, c.composite);
  for (const r of stack.resources) {
    g.setNode(r.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
    if (r.composite && g.hasNode(r.composite)) g.setParent(r.id, r.composite);
  }
  for (const x of stack.external) g.setNode(x.id, { width: EXTERNAL_WIDTH, height: EXTERNAL_HEIGHT });
  const membersOf = (compositeId: string): string[] => [
    ...stack.resources.filter((r) => r.composite === compositeId).map((r) => r.id),
    ...stack.composites.filter((c) => c.composite === compositeId).flatMap((c) => membersOf(c.id)),
  ];
  for (const e of stack.edges) {
    const compositeId = e.to.startsWith('composite:') ? e.to.slice('composite:'.length) : undefined;
    if (compositeId && g.hasNode(compositeId)) {
      for (const member of membersOf(compositeId)) if (member !== e.from) g.setEdge(e.from, member, {}, `${e.id}|${member}`);
    } else if (g.hasNode(e.to)) g.setEdge(e.from, e.to, {}, e.id);
  }
  dagre.layout(g);
  const box = (id: string): NodeBox => {
    const n = g.node(id) as { x: number; y: number; width: number; height: number };
    return { id, x: n.x, y: n.y, width: n.width, height: n.height };
  };
  const composites = new Map(stack.composites.map((c) => {
    const b = box(c.id);
    return [c.id, { ...b, y: b.y - COMPOSITE_TITLE / 2, height: b.height + COMPOSITE_TITLE }];
  }));
  const resources = new Map(stack.resources.map((r) => [r.id, box(r.id)]));
  const external = new Map(stack.external.map((x) => [x.id, box(x.id)]));
  const edges = new Map<string, Point[]>();
  for (const e of stack.edges) {
    const from = resources.get(e.from);
    if (!from) continue;
    if (e.to.startsWith('composite:') && composites.has(e.to.slice('composite:'.length))) {
      edges.set(e.id, [{ x: from.x, y: from.y - from.height / 2 }, boundaryPoint(composites.get(e.to.slice('composite:'.length))!, from)]);
      continue;
    }
    const points = g.edge({ v: e.from, w: e.to, name: e.id }) as { points?: Point[] } | undefined;
    if (points?.points) edges.set(e.id, points.points);
  }
  const graph = g.graph() as { width?: number; height?: number };
  return { width: graph.width ?? 0, height: graph.height ?? 0, resources, composites, external, edges };
}

/** Where the line from `from`'s centre to a box's centre meets the box's border. */
function boundaryPoint(target: NodeBox, from: Point): Point {
  const dx = from.x - target.x;
  const dy = from.y - target.y;
  if (dx === 0 && dy === 0) return { x: target.x, y: target.y };
  const scale = 1 / Math.max(Math.abs(dx) / (target.width / 2), Math.abs(dy) / (target.height / 2));
  return { x: target.x + dx * scale, y: target.y + dy * scale };
}
