// The figures table `make bench` prints, with the targets from the issue beside them.
type Row = [figure: string, value: unknown, unit: string, target: string];

const get = (o: any, path: string): unknown => path.split('.').reduce((a, k) => (a == null ? undefined : a[k]), o);
const fmt = (v: unknown): string => (v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v)) ? '—' : String(v));

export function rows(r: any): Row[] {
  const D = get(r, 'chain.delaySeconds');
  const peerD = get(r, 'peer.delaySeconds');
  const n = (path: string): number | undefined => (typeof get(r, path) === 'number' ? (get(r, path) as number) : undefined);
  const plus = (a: number | undefined, b: number) => (a === undefined ? '—' : String(Math.round((a + b) * 1000) / 1000));
  const times = (a: number | undefined, f: number) => (a === undefined ? '—' : String(Math.round(a * f * 100) / 100));
  const kro = (path: string, unit = '') => `kro ${fmt(get(r, path))}${unit}`;
  return [
    ['cli: clockwork --version (installed bin)', get(r, 'cli.versionSeconds'), 's', '≤ 0.15'],
    ['cli: clockwork plan of the seed (installed bin)', get(r, 'cli.planSeconds'), 's', '≤ 0.4'],
    ['cli: npx clockwork --version (for reference)', get(r, 'cli.npxVersionSeconds'), 's', ''],
    ['chain: 10-deep, zero delay, all Ready', get(r, 'chain.readySeconds'), 's', `≤ floor + 0.1 = ${plus(n('chain.floorSeconds'), 0.1)}`],
    ['chain: floor (10 × kwok Pod created → Ready)', get(r, 'chain.floorSeconds'), 's', `kwok ${fmt(get(r, 'chain.podCreatedToPodReadyMsP50'))} ms per Pod`],
    ['chain: per-hop latency p50', get(r, 'chain.hopP50Ms'), 'ms', '≤ 25'],
    ['chain: per-hop latency p99', get(r, 'chain.hopP99Ms'), 'ms', '≤ 50'],
    ['chain: status writes, first Resource', get(r, 'chain.statusWritesFirst'), '', ''],
    ['chain: status writes, deepest Resource', get(r, 'chain.statusWritesDeepest'), '', `≤ first + 1 = ${plus(n('chain.statusWritesFirst'), 1)}`],
    [`chain: 10-deep, delay ${fmt(D)} s, all Ready`, get(r, 'chain.delayedReadySeconds'), 's', `floor ${fmt(get(r, 'chain.delayedFloorSeconds'))}`],
    ['scale: Resources', get(r, 'scale.resources'), '', `1,000 in ${fmt(get(r, 'scale.composites'))} Composites`],
    ['scale: all Ready', get(r, 'scale.readySeconds'), 's', '≤ 25'],
    ['scale: operator writes / Resource (Events included; objects as clockwork apply makes them)', get(r, 'scale.writesPerResource'), '', '≤ 4'],
    ['scale: operator writes / Resource (excl. Events)', get(r, 'scale.writesPerResourceExclEvents'), '', ''],
    ['scale: operator reads / Resource', get(r, 'scale.readsPerResource'), '', ''],
    ['scale: operator peak RSS', get(r, 'scale.peakRssMiB'), 'MiB', '≤ 160'],
    ['scale: operator CPU', get(r, 'scale.cpuSeconds'), 's', ''],
    ['scale: reconcile cost / Resource (CPU, 1,000)', get(r, 'scale.cpuSecondsPerResourceMs'), 'ms', ''],
    ['memory: Resources', get(r, 'memory.resources'), '', `10,000 in ${fmt(get(r, 'memory.composites'))} Composites`],
    ['memory: Resources Ready when measured', get(r, 'memory.ready'), '', 'all'],
    ['memory: added Resources all Ready after', get(r, 'memory.readySeconds'), 's', ''],
    ['memory: operator RSS', get(r, 'memory.rssMiB'), 'MiB', `≤ 200 (floor ${fmt(get(r, 'memory.floorMiB'))} MiB)`],
    ['memory: floor (the operator\'s modules loaded, nothing cached)', get(r, 'memory.floorMiB'), 'MiB', ''],
    ['memory: reconcile cost / Resource (CPU, 10,000)', get(r, 'memory.cpuPerResourceMs'), 'ms', `≤ 1.5 × 1,000's = ${times(n('scale.cpuSecondsPerResourceMs'), 1.5)}`],
    ['churn: Pods deleted', get(r, 'churn.podsDeleted'), '', '10%'],
    ['churn: time to recover', get(r, 'churn.recoverySeconds'), 's', ''],
    ['peer: 10-deep, zero delay — Clockwork', get(r, 'peer.clockworkZeroDelayReadySeconds'), 's', kro('peer.kroZeroDelayReadySeconds', ' s')],
    ['peer: kro / Clockwork (zero delay)', get(r, 'peer.ratioZeroDelay'), '×', '≥ 1.5'],
    ['peer: Pod hop p50, zero delay — Clockwork', get(r, 'peer.clockworkPodHopP50Ms'), 'ms', `≤ 25 (${kro('peer.kroPodHopP50Ms', ' ms')})`],
    ['peer: Pod hop max, zero delay — Clockwork', get(r, 'peer.clockworkPodHopMaxMs'), 'ms', `≤ 50 (${kro('peer.kroPodHopMaxMs', ' ms')})`],
    [`peer: 10-deep, delay ${fmt(peerD)} s — Clockwork`, get(r, 'peer.clockworkReadySeconds'), 's', `floor ${fmt(get(r, 'peer.floorSeconds'))} (${kro('peer.kroReadySeconds', ' s')})`],
    [`peer: Pod hop p50, delay ${fmt(peerD)} s — Clockwork`, get(r, 'peer.clockworkDelayedPodHopP50Ms'), 'ms', `≤ 25 (${kro('peer.kroDelayedPodHopP50Ms', ' ms')})`],
    [`peer: Pod hop max, delay ${fmt(peerD)} s — Clockwork`, get(r, 'peer.clockworkDelayedPodHopMaxMs'), 'ms', `≤ 50 (${kro('peer.kroDelayedPodHopMaxMs', ' ms')})`],
    [`peer: ${fmt(get(r, 'peer.scaleChains'))} chains × 10 — Clockwork`, get(r, 'peer.clockworkScaleReadySeconds'), 's', kro('peer.kroScaleReadySeconds', ' s')],
    ['peer: kro / Clockwork (chains at scale)', get(r, 'peer.scaleRatio'), '×', '≥ 2'],
    ['peer: writes / Resource at scale, objects as generate | kubectl apply makes them (adoption included)', get(r, 'peer.clockworkScaleWritesPerResource'), '', kro('peer.kroScaleWritesPerPod', ' per Pod')],
    ['peer: kro RSS at scale (for reference)', get(r, 'peer.kroScalePeakRssMiB'), 'MiB', ''],
    ['docker: 5 containers, all Ready', get(r, 'docker.readySeconds'), 's', `floor ${fmt(get(r, 'docker.floorSeconds'))}`],
    ['three tiers on Docker — clockwork apply (wall)', get(r, 'compose.clockworkSeconds'), 's', `≤ its Ready + 0.4 = ${plus(n('compose.clockworkReadySeconds'), 0.4)}, < compose ${fmt(get(r, 'compose.compose1sSeconds'))} s`],
    ['three tiers on Docker — clockwork apply (its own Ready time)', get(r, 'compose.clockworkReadySeconds'), 's', `floor ${fmt(get(r, 'compose.floorSeconds'))}`],
    [`three tiers on Docker — docker compose ${fmt(get(r, 'compose.composeVersion'))} up --wait (1 s healthchecks)`, get(r, 'compose.compose1sSeconds'), 's', ''],
    ['three tiers on Docker — docker compose up --wait (100 ms healthchecks)', get(r, 'compose.compose100msSeconds'), 's', ''],
  ];
}

export function markdown(r: any): string {
  const out = ['| figure | value | target |', '|---|---:|---|'];
  for (const [f, v, u, t] of rows(r)) if (v !== undefined && v !== null) out.push(`| ${f} | ${fmt(v)}${u ? ` ${u}` : ''} | ${t} |`);
  return out.join('\n');
}

export function printTable(r: any): void {
  const rs = rows(r).filter(([, v]) => v !== undefined && v !== null);
  const w0 = Math.max(...rs.map(([f]) => f.length));
  const w1 = Math.max(...rs.map(([, v, u]) => `${fmt(v)} ${u}`.length));
  const lines = [`Clockwork benchmark (${r.mode}) — ${r.date} — ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, load ${r.machine.loadAverageStart?.[0]} → ${r.machine.loadAverageEnd?.[0]} — ${r.commit.slice(0, 12)}`, ''];
  for (const [f, v, u, t] of rs) lines.push(`${f.padEnd(w0)}  ${`${fmt(v)} ${u}`.trimEnd().padStart(w1)}  ${t}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
