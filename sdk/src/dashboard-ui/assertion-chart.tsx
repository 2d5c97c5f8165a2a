import type { AssertionView } from '../dashboard/dashboard-model.ts';
import { ago, clock, ms, percentile } from './format.ts';

const BAR = 7;
const GAP = 2;
const HEIGHT = 40;

/** The recent checks of an assertion: one bar per check, its height the latency, red when it failed. */
export function AssertionChart({ assertion, now }: { assertion: AssertionView; now: number }) {
  const checks = assertion.history;
  const latencies = checks.flatMap((c) => (c.durationMs !== undefined ? [c.durationMs] : []));
  const max = Math.max(1, ...latencies);
  const failed = checks.filter((c) => !c.passed).length;
  const width = Math.max(1, checks.length) * (BAR + GAP);
  const p50 = percentile(latencies, 0.5);
  return (
    <div class="chart">
      <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-label={`${assertion.name}: last ${checks.length} checks, ${failed} failed`}>
        <line x1={0} x2={width} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} class="chart-axis" />
        {checks.map((c, i) => {
          // A failure with no latency (refused at once) still shows, as a full red bar.
          const h = c.passed ? Math.max(3, ((c.durationMs ?? 0) / max) * (HEIGHT - 4)) : c.durationMs !== undefined ? Math.max(8, (c.durationMs / max) * (HEIGHT - 4)) : HEIGHT - 4;
          return (
            <rect x={i * (BAR + GAP)} y={HEIGHT - h} width={BAR} height={h} rx={1.5} class={c.passed ? 'bar-pass' : 'bar-fail'} data-check={c.at} data-passed={String(c.passed)}>
              <title>{`${clock(c.at)} ${c.passed ? 'passed' : 'failed'} in ${ms(c.durationMs)}: ${c.message}`}</title>
            </rect>
          );
        })}
      </svg>
      <div class="chart-caption">
        {checks.length === 0
          ? 'no checks seen yet'
          : `${checks.length} check${checks.length === 1 ? '' : 's'}: ${checks.length - failed} passed, ${failed} failed · latency p50 ${ms(p50)}, max ${ms(latencies.length ? max : undefined)} · last ${ago(checks[checks.length - 1]!.at, now)}`}
      </div>
    </div>
  );
}
