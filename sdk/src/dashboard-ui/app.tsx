import { useEffect, useMemo, useState } from 'preact/hooks';
import type { StackView } from '../dashboard/dashboard-model.ts';
import { GraphView } from './graph-view.tsx';
import { Legend } from './legend.tsx';
import { layoutKey, layoutStack, type GraphLayout } from './layout.ts';
import { ResourcePanel } from './resource-panel.tsx';
import { useLiveSnapshot, useNow } from './use-live-snapshot.ts';
import { clock } from './format.ts';

/** Positions are recomputed only when a stack's graph changes, so nodes stay put as states change. */
function useLayouts(stacks: readonly StackView[]): Map<string, GraphLayout> {
  const [cache] = useState(() => new Map<string, { key: string; layout: GraphLayout }>());
  return useMemo(() => {
    const out = new Map<string, GraphLayout>();
    for (const s of stacks) {
      const key = layoutKey(s);
      let entry = cache.get(s.namespace);
      if (!entry || entry.key !== key) cache.set(s.namespace, (entry = { key, layout: layoutStack(s) }));
      out.set(s.namespace, entry.layout);
    }
    return out;
  }, [stacks]);
}

const selectionFromHash = () => decodeURIComponent(location.hash.slice(1)) || undefined;

export function App() {
  const { snapshot, connection } = useLiveSnapshot();
  const now = useNow();
  const [selected, setSelected] = useState<string | undefined>(selectionFromHash);
  const stacks = snapshot?.stacks ?? [];
  const layouts = useLayouts(stacks);
  useEffect(() => {
    const onHash = () => setSelected(selectionFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const select = (id: string | undefined) => {
    history.replaceState(null, '', id ? `#${encodeURIComponent(id)}` : location.pathname);
    setSelected(id);
  };
  const ready = stacks.reduce((n, s) => n + s.readyCount, 0);
  const total = stacks.reduce((n, s) => n + s.totalCount, 0);
  const selectedStack = stacks.find((s) => s.resources.some((r) => r.id === selected));
  const selectedResource = selectedStack?.resources.find((r) => r.id === selected);
  return (
    <div class={`app ${selectedResource ? 'with-panel' : ''}`}>
      <header class="top">
        <h1>
          <span class="logo" aria-hidden="true">⚙</span> Clockwork
        </h1>
        <div class="scope">{snapshot ? `${snapshot.scope} on ${snapshot.target}` : ''}</div>
        <div class={`summary ${total > 0 && ready === total ? 'all-ready' : 'not-ready'}`} data-summary={`${ready}/${total}`}>
          {snapshot ? `${ready}/${total} Ready` : ''}
        </div>
        <div class={`connection connection-${connection}`} role="status" data-connection={connection}>
          <span class="dot" aria-hidden="true" />
          {connection === 'live' ? 'live' : connection === 'connecting' ? 'connecting…' : 'reconnecting…'}
          {snapshot && <span class="muted"> · updated {clock(snapshot.generatedAt)}</span>}
        </div>
      </header>
      {snapshot?.error && (
        <div class="banner" role="alert">
          {snapshot.error}
        </div>
      )}
      <main class="content">
        <section class="graphs">
          {snapshot && stacks.length === 0 && <p class="empty">No Clockwork Resources here yet: apply a stack, and it shows up.</p>}
          {stacks.map((s, i) => (
            <section class="stack" data-namespace={s.namespace} aria-label={`namespace ${s.namespace}`}>
              <h2>
                namespace <code>{s.namespace}</code> <span class={s.ready ? 'pass' : 'fail'}>{s.readyCount}/{s.totalCount} Ready</span>
              </h2>
              <div class="graph-scroll">
                <GraphView stack={s} layout={layouts.get(s.namespace)!} index={i} selected={selected} onSelect={select} />
              </div>
              {s.orphans.length > 0 && <p class="muted">Containers that belong to no Resource of the stack: {s.orphans.join(', ')}</p>}
            </section>
          ))}
          {snapshot && <Legend />}
          {snapshot && !selectedResource && stacks.length > 0 && <p class="hint muted">Select a Resource (click it, or Tab to it and press Enter; arrow keys move between nodes) for its conditions, assertion history, {snapshot.target === 'kubernetes' ? 'Events' : 'transitions'} and logs.</p>}
        </section>
        {selectedResource && selectedStack && snapshot && <ResourcePanel resource={selectedResource} stack={selectedStack} target={snapshot.target} now={now} onSelect={select} />}
      </main>
    </div>
  );
}
