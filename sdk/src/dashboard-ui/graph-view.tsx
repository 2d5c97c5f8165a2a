import type { ResourceView, StackView } from '../dashboard/dashboard-model.ts';
import { ARROWS, nextNode } from './keyboard.ts';
import type { GraphLayout, Point } from './layout.ts';
import { StateGlyph } from './state-icon.tsx';
import { stateClass } from './state-style.ts';

interface GraphViewProps {
  stack: StackView;
  layout: GraphLayout;
  /** Unique on the page (several stacks): prefixes marker ids. */
  index: number;
  selected: string | undefined;
  onSelect: (id: string | undefined) => void;
}

/** A smooth path through dagre's edge points. */
function pathOf(points: readonly Point[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  if (rest.length === 0) return `M${first!.x},${first!.y}`;
  let d = `M${first!.x},${first!.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const q = rest[i + 1]!;
    d += ` Q${p.x},${p.y} ${(p.x + q.x) / 2},${(p.y + q.y) / 2}`;
  }
  const last = rest[rest.length - 1]!;
  return `${d} L${last.x},${last.y}`;
}

const focusNode = (id: string) => document.querySelector<SVGGElement>(`[data-resource="${CSS.escape(id)}"]`)?.focus();

/** The stack's dependency graph as SVG: Composites as boundaries, Resources as nodes, dependencies as arrows. */
export function GraphView({ stack, layout, index, selected, onSelect }: GraphViewProps) {
  const byId = new Map(stack.resources.map((r) => [r.id, r]));
  const centres = [...layout.resources.values()].map((b) => ({ id: b.id, x: b.x, y: b.y }));
  const onKeyDown = (resource: ResourceView) => (event: KeyboardEvent) => {
    const direction = ARROWS[event.key];
    if (direction) {
      event.preventDefault();
      const next = nextNode(centres, resource.id, direction);
      if (next) focusNode(next);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(resource.id);
    } else if (event.key === 'Escape') onSelect(undefined);
  };
  const marker = (kind: string) => `m${index}-${kind}`;
  // Composites outermost first, so inner boundaries are drawn over outer ones.
  const depth = (id: string | undefined): number => (id ? 1 + depth(stack.composites.find((c) => c.id === id)?.composite) : 0);
  const composites = [...stack.composites].sort((a, b) => depth(a.id) - depth(b.id));
  return (
    <svg class="graph" viewBox={`0 0 ${Math.max(layout.width, 10)} ${Math.max(layout.height, 10)}`} width={layout.width} height={layout.height} role="group" aria-label={`dependency graph of namespace ${stack.namespace}`}>
      <defs>
        {['edge', 'blocking'].map((kind) => (
          <marker id={marker(kind)} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" class={`marker-${kind}`}>
            <path d="M0,0 L10,5 L0,10 z" />
          </marker>
        ))}
      </defs>
      {composites.map((c) => {
        const box = layout.composites.get(c.id);
        if (!box) return null;
        const left = box.x - box.width / 2;
        const top = box.y - box.height / 2;
        return (
          <g class={`composite ${c.ready ? 'composite-ready' : 'composite-waiting'}`} data-composite={c.id} data-ready={String(c.ready)}>
            <title>{`${c.name} (Composite): ${c.message}`}</title>
            <rect x={left} y={top} width={box.width} height={box.height} rx={14} />
            <text x={left + 14} y={top + 19} class="composite-title">
              {c.name}
              <tspan class="composite-meta">{`  composite · ${c.readyCount}/${c.totalCount} Ready`}</tspan>
            </text>
          </g>
        );
      })}
      {stack.edges.map((e) => {
        const points = layout.edges.get(e.id);
        if (!points) return null;
        const middle = points[Math.floor(points.length / 2)]!;
        const dependency = byId.get(e.to);
        return (
          <g class={`edge ${e.blocking ? 'edge-blocking' : ''}`} data-edge={e.id} data-from={e.from} data-to={e.to} data-blocking={String(e.blocking)}>
            <title>{`${e.from} depends on ${e.to}${e.blocking ? ` — blocked: ${dependency ? `${dependency.state} (${dependency.reason})` : 'not Ready'}` : ''}`}</title>
            <path d={pathOf(points)} marker-end={`url(#${marker(e.blocking ? 'blocking' : 'edge')})`} />
            {e.blocking && (
              <g class="edge-label" transform={`translate(${middle.x + 30} ${middle.y})`}>
                <rect x={-24} y={-10} width={48} height={20} rx={10} />
                <text y={4}>blocks</text>
              </g>
            )}
          </g>
        );
      })}
      {stack.external.map((x) => {
        const box = layout.external.get(x.id);
        if (!box) return null;
        return (
          <g class="external" data-external={x.id}>
            <rect x={box.x - box.width / 2} y={box.y - box.height / 2} width={box.width} height={box.height} rx={10} />
            <text x={box.x} y={box.y - 2}>{x.label}</text>
            <text x={box.x} y={box.y + 13} class="external-meta">not shown here</text>
          </g>
        );
      })}
      {stack.resources.map((r) => {
        const box = layout.resources.get(r.id);
        if (!box) return null;
        const left = box.x - box.width / 2;
        const top = box.y - box.height / 2;
        const detail = stateDetail(r, byId);
        return (
          <g
            class={`node ${stateClass(r.state)}${selected === r.id ? ' selected' : ''}${r.rootCause ? ' root-cause' : ''}`}
            data-resource={r.id}
            data-state={r.state}
            data-root-cause={String(r.rootCause)}
            tabindex={0}
            role="button"
            aria-pressed={selected === r.id}
            aria-label={`${r.name}: ${r.state}${detail}. ${r.ready ? '' : r.message}`}
            onClick={() => onSelect(r.id)}
            onKeyDown={onKeyDown(r)}
          >
            <title>{`${r.name}: ${r.state} (${r.reason})\n${r.message}`}</title>
            <rect class="node-card" x={left} y={top} width={box.width} height={box.height} rx={10} />
            <rect class="node-band" x={left} y={top} width={6} height={box.height} rx={3} />
            <StateGlyph state={r.state} x={left + 26} y={top + 24} />
            <text class="node-name" x={left + 46} y={top + 29}>
              {r.name.length > 24 ? `${r.name.slice(0, 23)}…` : r.name}
            </text>
            <text class="node-state" x={left + 46} y={top + 50}>
              {truncate(`${r.state}${detail}`, 27)}
            </text>
            <text class="node-meta" x={left + 46} y={top + 67}>
              {truncate([r.assertions.length ? `assertions ${r.assertionsSummary}` : 'no assertions', r.workload?.state].filter(Boolean).join(' · '), 34)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** After the state word: what it waits for, or the reason when it says more than the word. */
function stateDetail(r: ResourceView, byId: ReadonlyMap<string, ResourceView>): string {
  if (r.state === 'Waiting' && r.blockedBy.length) return ` for ${r.blockedBy.map((id) => byId.get(id)?.name ?? id).join(', ')}`;
  return r.state === r.reason || (r.state === 'Ready' && r.reason === 'Ready') ? '' : ` · ${r.reason}`;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
