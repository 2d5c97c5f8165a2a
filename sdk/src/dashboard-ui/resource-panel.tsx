import type { ResourceView, StackView } from '../dashboard/dashboard-model.ts';
import { AssertionChart } from './assertion-chart.tsx';
import { EnvView } from './env-view.tsx';
import { ago, clock, ms } from './format.ts';
import { LogsView } from './logs-view.tsx';
import { StateBadge } from './state-icon.tsx';
import { STATE_TEXT } from './state-style.ts';
import { TimelineList } from './timeline-list.tsx';

interface PanelProps {
  resource: ResourceView;
  stack: StackView;
  target: 'docker' | 'kubernetes';
  now: number;
  onSelect: (id: string | undefined) => void;
}

/** Everything about the selected Resource: why it is in its state, conditions, assertions, events, logs, env. */
export function ResourcePanel({ resource: r, stack, target, now, onSelect }: PanelProps) {
  const byId = new Map(stack.resources.map((x) => [x.id, x]));
  return (
    <aside class="panel" aria-label={`details of ${r.name}`} data-panel={r.id}>
      <header class="panel-head">
        <div>
          <h2>{r.name}</h2>
          <div class="muted">
            {r.namespace}
            {r.composite ? ` · in composite ${r.composite.split('/')[1]}` : ''}
          </div>
        </div>
        <button type="button" class="close" aria-label="close the details" onClick={() => onSelect(undefined)}>
          ×
        </button>
      </header>
      <p class="panel-state">
        <StateBadge state={r.state} detail={r.reason} /> <span class="muted">{STATE_TEXT[r.state]}</span>
      </p>
      {!r.ready && <p class="why">{firstLine(r.message)}</p>}
      {r.blockedBy.length > 0 && (
        <p class="blocked-by" data-blocked-by={r.blockedBy.join(' ')}>
          Blocked by{' '}
          {r.blockedBy.map((id, i) => {
            const d = byId.get(id);
            return (
              <>
                {i > 0 && ', '}
                {d ? (
                  <button type="button" class="link" onClick={() => onSelect(id)}>
                    {d.name} ({d.state}, {d.reason})
                  </button>
                ) : (
                  <code>{id}</code>
                )}
              </>
            );
          })}
        </p>
      )}
      {r.description && <p>{r.description}</p>}
      <dl class="facts">
        {r.image && (
          <>
            <dt>image</dt>
            <dd>
              <code>{r.image}</code>
            </dd>
          </>
        )}
        {r.ports.length > 0 && (
          <>
            <dt>ports</dt>
            <dd>{r.ports.map((p) => `${p.name ? `${p.name} ` : ''}${p.port}${p.hostPort ? ` → host ${p.hostPort}` : ''}`).join(', ')}</dd>
          </>
        )}
        {r.workload && (
          <>
            <dt>{target === 'docker' ? 'container' : 'Pod'}</dt>
            <dd>
              {r.workload.name} ({r.workload.state})
            </dd>
          </>
        )}
        {r.dependencies.length > 0 && (
          <>
            <dt>depends on</dt>
            <dd>{r.dependencies.join(', ')}</dd>
          </>
        )}
      </dl>

      <h3>Conditions</h3>
      <div class="conditions">
        {r.conditions.map((c) => (
          <div class="condition" data-condition={c.type} data-status={c.status}>
            <div class="condition-head">
              <span class="condition-type">{c.type}</span> <span class={`status-${c.status.toLowerCase()}`}>{c.status}</span> <strong>{c.reason}</strong>{' '}
              <span class="muted" title={c.lastTransitionTime}>
                since {clock(c.lastTransitionTime)}
              </span>
            </div>
            <pre class="message">{c.message}</pre>
          </div>
        ))}
      </div>

      <h3>Assertions {r.assertions.length > 0 && <span class="muted">{r.assertionsSummary} passing</span>}</h3>
      {r.assertions.length === 0 && <p class="muted">No assertions declared.</p>}
      {r.assertions.map((a) => (
        <section class="assertion" data-assertion={a.name} data-passed={String(a.passed)}>
          <div class="assertion-head">
            <span class={a.passed ? 'pass' : 'fail'} aria-label={a.passed ? 'passing' : 'failing'}>
              {a.passed ? '✓' : '✗'}
            </span>{' '}
            <strong>{a.name}</strong> <span class="muted">({a.kind})</span> <span class="muted">{a.lastCheckedTime ? `checked ${ago(a.lastCheckedTime, now)} in ${ms(a.durationMs)}` : ''}</span>
          </div>
          <pre class="message">{a.message}</pre>
          <AssertionChart assertion={a} now={now} />
        </section>
      ))}

      <h3>{target === 'kubernetes' ? 'Events' : 'Transitions'}</h3>
      <TimelineList entries={r.timeline} target={target} />

      <h3>Logs</h3>
      <LogsView resource={r.id} />

      <h3>Env</h3>
      <EnvView resource={r.id} env={r.env} />
    </aside>
  );
}

const firstLine = (text: string) => text.split('\n')[0] ?? '';
