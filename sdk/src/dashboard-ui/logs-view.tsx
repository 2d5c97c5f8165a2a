import { useEffect, useRef, useState } from 'preact/hooks';

const KEEP_LINES = 2000;

interface Line {
  at?: string;
  text: string;
  /** `event`: Clockwork's note about the container (exited, restarted, replaced). */
  kind?: 'output' | 'event';
}

/** A Resource's log: the last `tail` lines, then (when following) each new line as it is written. */
export function LogsView({ resource }: { resource: string }) {
  const [tail, setTail] = useState(200);
  const [follow, setFollow] = useState(true);
  const [lines, setLines] = useState<Line[]>([]);
  const [status, setStatus] = useState('connecting…');
  const box = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    setLines([]);
    setStatus('connecting…');
    const source = new EventSource(`/api/logs?resource=${encodeURIComponent(resource)}&tail=${tail}&follow=${follow ? 1 : 0}`);
    let pending: Line[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const add = pending;
      pending = [];
      setLines((before) => [...before, ...add].slice(-KEEP_LINES));
    };
    source.addEventListener('line', (e) => {
      pending.push(JSON.parse((e as MessageEvent<string>).data) as Line);
      frame ||= requestAnimationFrame(flush);
    });
    source.addEventListener('status', (e) => setStatus((JSON.parse((e as MessageEvent<string>).data) as { message: string }).message));
    // Not following: the server ends the stream; the browser must not reconnect.
    source.addEventListener('end', () => {
      source.close();
      setStatus((s) => (follow ? s : 'the last lines (not following)'));
    });
    return () => {
      source.close();
      cancelAnimationFrame(frame);
    };
  }, [resource, tail, follow]);
  useEffect(() => {
    if (box.current && stick.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines]);
  return (
    <div class="logs">
      <div class="logs-controls">
        <label>
          last{' '}
          <select value={String(tail)} onChange={(e) => setTail(Number((e.target as HTMLSelectElement).value))} aria-label="lines to start with">
            {[50, 200, 1000].map((n) => (
              <option value={String(n)}>{n}</option>
            ))}
          </select>{' '}
          lines
        </label>
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow((e.target as HTMLInputElement).checked)} /> follow
        </label>
        <span class="muted logs-status" data-following={String(follow)}>{status}</span>
      </div>
      <pre
        class="logs-lines"
        ref={box}
        tabIndex={0}
        aria-label="log lines"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
        }}
      >
        {lines.length === 0 ? <span class="muted">no log lines</span> : lines.map((l) => (
              <div class={l.kind === 'event' ? 'log-line log-event' : 'log-line'} title={l.at}>
                {l.kind === 'event' ? `── ${l.text}` : l.text}
              </div>
            ))}
      </pre>
    </div>
  );
}
