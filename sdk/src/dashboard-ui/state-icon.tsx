import type { ResourceState } from '../dashboard/dashboard-model.ts';
import { stateClass } from './state-style.ts';

/** One glyph per state, drawn (no icon font): a check, a clock, a play sign, a cross, a flag, a question mark. */
const GLYPHS: Record<ResourceState, string> = {
  Ready: 'M-4.2 0.2 L-1.2 3.2 L4.4 -3.2',
  Waiting: 'M0 -5.2 V0 L3.4 2.4',
  Starting: 'M-2.4 -4.2 L4.2 0 L-2.4 4.2 Z',
  Failing: 'M-3.6 -3.6 L3.6 3.6 M3.6 -3.6 L-3.6 3.6',
  Completed: 'M-3 4.6 V-4.4 M-3 -4.4 H3.8 L2.2 -2 L3.8 0.4 H-3',
  Unknown: 'M-2.6 -2.2 A2.8 2.8 0 1 1 1.2 0.4 Q0 1 0 2.4 M0 4.2 V4.6',
};

/** The state's icon inside a circle, centred on (x, y), for SVG. */
export function StateGlyph({ state, x, y, r = 11 }: { state: ResourceState; x: number; y: number; r?: number }) {
  return (
    <g class={`glyph ${stateClass(state)}`} transform={`translate(${x} ${y}) scale(${r / 11})`} aria-hidden="true">
      <circle r={11} class="glyph-disc" />
      {state === 'Waiting' && <circle r={6.4} class="glyph-line" />}
      <path d={GLYPHS[state]} class={state === 'Starting' ? 'glyph-fill' : 'glyph-line'} />
    </g>
  );
}

/** The icon and the word, for HTML (badges in the panel and the legend). */
export function StateBadge({ state, detail }: { state: ResourceState; detail?: string }) {
  return (
    <span class={`badge ${stateClass(state)}`} data-state={state}>
      <svg width="16" height="16" viewBox="-12 -12 24 24" aria-hidden="true">
        <StateGlyph state={state} x={0} y={0} />
      </svg>
      <span>{state}</span>
      {detail && detail !== state && <span class="badge-detail">· {detail}</span>}
    </span>
  );
}
