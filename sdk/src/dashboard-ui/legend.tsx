import { RESOURCE_STATES } from '../dashboard/dashboard-model.ts';
import { StateBadge } from './state-icon.tsx';
import { STATE_TEXT } from './state-style.ts';

/** What the colours, icons and arrows mean. */
export function Legend() {
  return (
    <ul class="legend" aria-label="legend">
      {RESOURCE_STATES.map((s) => (
        <li title={STATE_TEXT[s]}>
          <StateBadge state={s} />
        </li>
      ))}
      <li>
        <svg width="34" height="10" aria-hidden="true">
          <line x1="0" y1="5" x2="28" y2="5" class="legend-edge" />
          <path d="M26,1 L33,5 L26,9 z" class="legend-arrow" />
        </svg>{' '}
        depends on
      </li>
      <li>
        <svg width="34" height="10" aria-hidden="true">
          <line x1="0" y1="5" x2="28" y2="5" class="legend-edge blocking" />
          <path d="M26,1 L33,5 L26,9 z" class="legend-arrow blocking" />
        </svg>{' '}
        blocks (dependency not Ready)
      </li>
    </ul>
  );
}
