/** A node's centre on the page's graph. */
export interface Placed {
  id: string;
  x: number;
  y: number;
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * The node an arrow key moves to: the nearest one whose centre lies in that direction (off the
 * axis counting double). Undefined at the edge of the graph.
 */
export function nextNode(nodes: readonly Placed[], from: string, direction: Direction): string | undefined {
  const origin = nodes.find((n) => n.id === from);
  if (!origin) return nodes[0]?.id;
  let best: { id: string; score: number } | undefined;
  for (const n of nodes) {
    if (n.id === from) continue;
    const dx = n.x - origin.x;
    const dy = n.y - origin.y;
    const along = direction === 'left' ? -dx : direction === 'right' ? dx : direction === 'up' ? -dy : dy;
    const across = direction === 'left' || direction === 'right' ? Math.abs(dy) : Math.abs(dx);
    // Within a cone around the direction: a node far off to the side is not "to the right".
    if (along <= 0 || across > 2 * along) continue;
    const score = along + 2 * across;
    if (!best || score < best.score) best = { id: n.id, score };
  }
  return best?.id;
}

export const ARROWS: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };
