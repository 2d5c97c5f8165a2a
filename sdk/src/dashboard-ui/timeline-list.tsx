import type { TimelineEntry } from '../dashboard/dashboard-model.ts';
import { clock } from './format.ts';

/** Events (Kubernetes) or transitions (Docker), newest first. */
export function TimelineList({ entries, target }: { entries: readonly TimelineEntry[]; target: 'docker' | 'kubernetes' }) {
  if (entries.length === 0) return <p class="muted">{target === 'kubernetes' ? 'No Events about this Resource or its Pod.' : 'No transitions seen yet.'}</p>;
  return (
    <ol class="timeline">
      {[...entries].reverse().map((e) => (
        <li class={e.type === 'Warning' ? 'warning' : 'normal'} data-reason={e.reason}>
          <time dateTime={e.at}>{clock(e.at)}</time>
          <span class="timeline-type" aria-label={e.type}>{e.type === 'Warning' ? '⚠' : '•'}</span>
          <strong>{e.reason}</strong>
          {e.count ? <span class="muted"> ×{e.count}</span> : null}
          <span class="timeline-source">{e.source}</span>
          <span class="timeline-message" title={e.message}>
            {e.message.split('\n')[0]}
          </span>
        </li>
      ))}
    </ol>
  );
}
