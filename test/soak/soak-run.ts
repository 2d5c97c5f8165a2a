// The soak: N Resources, and every interval a wave that changes a fraction of them (a spec edit)
// and deletes and recreates another fraction. After each wave: time until every Resource is
// Ready again and the work queue has drained, the operator's RSS, its reconcile errors, and the
// apiserver's request count (clockwork kinds and children) — which must stay proportional to the
// changes (no hot loop). Used by `make soak` (test/soak/soak.ts) and, small, by the quick test.
import { kubectl } from '../harness/index.ts';
import { applyAll, layeredStack, readyCount, sleep, startOperator, waitFor, type Operator } from '../integration/reliability/support.ts';

export interface SoakOptions {
  namespace: string;
  resources: number;
  waves: number;
  intervalMs: number;
  /** Fraction changed, and the same fraction deleted and recreated, per wave. */
  fraction: number;
  /** Dependency layers (default 10: r-i depends on r-(i - resources/10)). */
  layers?: number;
  /** How long to measure the idle baseline (default 10 s). */
  idleMs?: number;
  log?: (line: string) => void;
}

export interface WaveFigures {
  wave: number;
  changed: number;
  recreated: number;
  /** From the first write of the wave until all Ready and queue depth 0. */
  convergeMs: number;
  rssMiB: number;
  /** Max RSS sampled during the wave. */
  rssMaxMiB: number;
  /** V8 heap in use after the wave (nodejs_heap_size_used_bytes). */
  heapUsedMiB: number;
  reconciles: number;
  reconcileErrors: number;
  /** apiserver requests (non-watch) on the operator's kinds during the wave, and during its idle rest. */
  apiRequests: number;
  apiRequestsIdle: number;
  /** Length of the rest after the wave converged. */
  restMs: number;
  queueDepthAfter: number;
  /** Relists of the operator's informers during the wave (a hot loop would show here). */
  relists: number;
}

export interface SoakFigures {
  rolloutMs: number;
  rssAfterRolloutMiB: number;
  /** RSS every 5 s: [seconds since start, MiB]. */
  rssSeries: [number, number][];
  waves: WaveFigures[];
  /** Baseline: apiserver requests over 10 s with nothing changing, operator idle. */
  idleRequestsPer10s: number;
}

const OPERATOR_RESOURCES = new Set(['pods', 'services', 'configmaps', 'clockworkresources', 'clockworkcomposites', 'events']);

/** Requests (not WATCH or LIST) the apiserver has served on the kinds the operator touches. */
async function apiserverRequests(): Promise<number> {
  const { stdout } = await kubectl(['get', '--raw', '/metrics'], { timeoutMs: 30_000 });
  let sum = 0;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    // LIST left out: the soak's own readiness polling lists; the operator lists only on a relist
    // (counted by the operator itself).
    if (labels.verb === 'WATCH' || labels.verb === 'LIST' || !OPERATOR_RESOURCES.has(labels.resource ?? '')) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

export async function runSoak(o: SoakOptions, operatorArgs: { workers?: number } = {}): Promise<SoakFigures> {
  const log = o.log ?? ((l: string) => process.stderr.write(`[soak] ${l}\n`));
  const op: Operator = await startOperator({ namespace: o.namespace, workers: operatorArgs.workers ?? 4 });
  const t0 = Date.now();
  const rssSeries: [number, number][] = [];
  const sampler = setInterval(() => {
    try {
      rssSeries.push([Math.round((Date.now() - t0) / 1000), Math.round(op.rssMiB())]);
    } catch {
      /* exited */
    }
  }, 5000);
  try {
    // 1,000 Resources: 10 layers of 100, a realistic fan of dependencies without a long chain.
    const stack = () => layeredStack(o.namespace, o.resources, Math.max(10, Math.floor(o.resources / (o.layers ?? 10))));
    await applyAll(stack());
    const converged = async (what: string, timeoutMs = 300_000) =>
      waitFor(what, async () => {
        const { ready, total } = await readyCount(o.namespace);
        return total === o.resources && ready === o.resources && (await op.metric('clockwork_workqueue_depth')) === 0;
      }, { timeoutMs, intervalMs: o.resources > 500 ? 1000 : 500 });
    await converged('initial rollout');
    const rolloutMs = Date.now() - t0;
    const rssAfterRolloutMiB = Math.round(op.rssMiB());
    log(`rollout of ${o.resources} Resources: ${rolloutMs} ms, RSS ${rssAfterRolloutMiB} MiB`);
    await sleep(2000);
    const idle0 = await apiserverRequests();
    const idleMs = o.idleMs ?? 10_000;
    await sleep(idleMs);
    const idleRequestsPer10s = Math.round((((await apiserverRequests()) - idle0) * 10_000) / idleMs); // /metrics is no resource: not counted
    log(`idle: ${idleRequestsPer10s} apiserver requests in 10 s`);

    const waves: WaveFigures[] = [];
    const count = Math.max(1, Math.round(o.resources * o.fraction));
    const objects = stack() as { metadata: { name: string } }[];
    for (let w = 1; w <= o.waves; w++) {
      const waveStart = Date.now();
      const api0 = await apiserverRequests();
      const rec0 = await op.metric('clockwork_reconcile_total');
      const err0 = await op.metric('clockwork_reconcile_total', { result: 'error' });
      const relist0 = await op.metric('clockwork_informer_relists_total');
      let rssMax = 0;
      const peak = setInterval(() => {
        try {
          rssMax = Math.max(rssMax, op.rssMiB());
        } catch {
          /* exited */
        }
      }, 500);
      // Different Resources each wave: changed ones from the front, recreated ones from the back.
      const offset = ((w - 1) * count) % o.resources;
      const pick = (i: number) => objects[(offset + i) % o.resources]!.metadata.name;
      const changed = Array.from({ length: count }, (_, i) => pick(i));
      const recreated = Array.from({ length: count }, (_, i) => objects[(o.resources - 1 - ((offset + i) % o.resources))]!.metadata.name).filter((x) => !changed.includes(x));
      const patch = JSON.stringify({ spec: { env: [{ name: 'WAVE', value: String(w) }] } });
      await Promise.all(chunks(changed, Math.ceil(changed.length / 4)).map(async (names) => {
        for (const name of names) await kubectl(['patch', 'cwr', name, '--type=merge', '-p', patch], { namespace: o.namespace });
      }));
      await kubectl(['delete', 'cwr', ...recreated, '--wait=true', '--timeout=120s'], { namespace: o.namespace });
      await applyAll(objects.filter((x) => recreated.includes(x.metadata.name)));
      await converged(`wave ${w}`);
      const convergeMs = Date.now() - waveStart;
      const api1 = await apiserverRequests();
      clearInterval(peak);
      const figures: WaveFigures = {
        wave: w,
        changed: changed.length,
        recreated: recreated.length,
        convergeMs,
        rssMiB: Math.round(op.rssMiB()),
        rssMaxMiB: Math.round(Math.max(rssMax, op.rssMiB())),
        heapUsedMiB: Math.round((await op.metric('nodejs_heap_size_used_bytes')) / 1048576),
        reconciles: (await op.metric('clockwork_reconcile_total')) - rec0,
        reconcileErrors: (await op.metric('clockwork_reconcile_total', { result: 'error' })) - err0,
        apiRequests: api1 - api0,
        apiRequestsIdle: 0,
        restMs: 0,
        queueDepthAfter: await op.metric('clockwork_workqueue_depth'),
        relists: (await op.metric('clockwork_informer_relists_total')) - relist0,
      };
      // The rest of the interval: nothing changes, so nearly nothing should be requested.
      const rest = o.intervalMs - (Date.now() - waveStart);
      if (rest > 0) await sleep(rest);
      figures.restMs = Math.max(0, rest);
      figures.apiRequestsIdle = (await apiserverRequests()) - api1;
      waves.push(figures);
      log(`wave ${w}: ${figures.changed} changed + ${figures.recreated} recreated → converged in ${convergeMs} ms; RSS ${figures.rssMiB} MiB (peak ${figures.rssMaxMiB}, heap used ${figures.heapUsedMiB}); ${figures.reconciles} reconciles, ${figures.reconcileErrors} errors; apiserver requests ${figures.apiRequests} in the wave, ${figures.apiRequestsIdle} in the ${Math.max(0, Math.round(rest / 1000))} s rest; queue ${figures.queueDepthAfter}; relists ${figures.relists}`);
      if (op.exited()) throw new Error('the operator exited');
    }
    return { rolloutMs, rssAfterRolloutMiB, rssSeries, waves, idleRequestsPer10s };
  } finally {
    clearInterval(sampler);
    await op.stop();
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size)) out.push(items.slice(i, i + Math.max(1, size)));
  return out;
}

/** The figures as a small text table. */
export function formatSoak(f: SoakFigures): string {
  const lines = [
    `rollout: ${f.rolloutMs} ms, RSS after it ${f.rssAfterRolloutMiB} MiB; idle apiserver requests: ${f.idleRequestsPer10s} per 10 s`,
    'wave  changed  recreated  converge_ms  rss_MiB  rss_peak  heap_MiB  reconciles  errors  api_req  api_req_rest  queue',
    ...f.waves.map((w) => [w.wave, w.changed, w.recreated, w.convergeMs, w.rssMiB, w.rssMaxMiB, w.heapUsedMiB, w.reconciles, w.reconcileErrors, w.apiRequests, w.apiRequestsIdle, w.queueDepthAfter].map((x, i) => String(x).padStart([4, 7, 9, 11, 7, 8, 8, 10, 6, 7, 12, 5][i]!)).join('  ')),
    `RSS over time (s:MiB): ${f.rssSeries.map(([s, m]) => `${s}:${m}`).join(' ')}`,
  ];
  return lines.join('\n');
}

/**
 * What makes a soak fail: RSS after the last wave above the first wave's by more than 25% (and
 * 30 MiB, for GC noise), reconcile errors per wave in the second half above twice the first half's
 * (plus 10), a queue not
 * drained, more than one relist per informer in a wave, a wave's apiserver requests above 3× the
 * first wave's (same number of changes), or the rest between waves busier than 3× the idle baseline.
 */
export function soakProblems(f: SoakFigures, o: { rssGrowth?: number; rssSlackMiB?: number } = {}): string[] {
  const problems: string[] = [];
  const first = f.waves[0];
  const last = f.waves[f.waves.length - 1];
  if (!first || !last) return ['no waves'];
  const limit = Math.max(first.rssMiB * (1 + (o.rssGrowth ?? 0.25)), first.rssMiB + (o.rssSlackMiB ?? 30));
  if (last.rssMiB > limit) problems.push(`RSS grew from ${first.rssMiB} MiB (wave 1) to ${last.rssMiB} MiB (wave ${last.wave})`);
  const half = Math.floor(f.waves.length / 2);
  // Per-wave averages: a few conflicts (409, retried) per wave are normal; a rising trend is not.
  const meanErrors = (ws: WaveFigures[]) => ws.reduce((s, w) => s + w.reconcileErrors, 0) / ws.length;
  if (f.waves.length >= 2 && meanErrors(f.waves.slice(half)) > 2 * meanErrors(f.waves.slice(0, half)) + 10) problems.push(`reconcile errors grow: ${f.waves.map((w) => w.reconcileErrors).join(', ')}`);
  for (const w of f.waves) {
    if (w.relists > 5) problems.push(`wave ${w.wave}: ${w.relists} informer relists`);
    if (w.queueDepthAfter !== 0) problems.push(`wave ${w.wave}: queue depth ${w.queueDepthAfter} after convergence`);
    if (w.apiRequests > 3 * first.apiRequests + 50) problems.push(`wave ${w.wave}: ${w.apiRequests} apiserver requests, wave 1 needed ${first.apiRequests}`);
    const restPer10s = w.restMs >= 5000 ? (w.apiRequestsIdle * 10_000) / w.restMs : 0;
    // A hot loop shows as thousands of requests per 10 s; garbage collection and kwok finishing the
    // wave's deletions take up to ~100, whatever the idle baseline was.
    if (restPer10s > 3 * f.idleRequestsPer10s + 200) problems.push(`wave ${w.wave}: ${Math.round(restPer10s)} requests per 10 s while nothing changed (idle baseline ${f.idleRequestsPer10s})`);
  }
  return problems;
}
