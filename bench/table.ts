// The figures table `make bench` prints, with the targets from the issue beside them.
type Row = [figure: string, value: unknown, unit: string, target: string];

const get = (o: any, path: string): unknown => path.split('.').reduce((a, k) => (a == null ? undefined : a[k]), o);
const fmt = (v: unknown): string => (v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v)) ? '—' : String(v));

export function rows(r: any): Row[] {
  const D = get(r, 'chain.delaySeconds');
  const peerD = get(r, 'peer.delaySeconds');
  return [
    ['chain: per-hop latency p50', get(r, 'chain.hopP50Ms'), 'ms', '≤ 25'],
    ['chain: per-hop latency p99', get(r, 'chain.hopP99Ms'), 'ms', '≤ 50'],
    ['chain: 10-deep, zero delay, all Ready', get(r, 'chain.readySeconds'), 's', '≤ 0.6'],
    [`chain: 10-deep, delay ${fmt(D)} s, all Ready`, get(r, 'chain.delayedReadySeconds'), 's', `floor ${fmt(get(r, 'chain.delayedFloorSeconds'))}`],
    ['scale: Resources', get(r, 'scale.resources'), '', '1,000'],
    ['scale: all Ready', get(r, 'scale.readySeconds'), 's', '≤ 60'],
    ['scale: operator writes / Resource', get(r, 'scale.writesPerResource'), '', '≤ 4'],
    ['scale: operator writes / Resource (excl. Events)', get(r, 'scale.writesPerResourceExclEvents'), '', ''],
    ['scale: operator reads / Resource', get(r, 'scale.readsPerResource'), '', ''],
    ['scale: operator peak RSS', get(r, 'scale.peakRssMiB'), 'MiB', ''],
    ['scale: operator CPU', get(r, 'scale.cpuSeconds'), 's', ''],
    [`memory: Resources (${get(r, 'memory.settled') === false ? `only ${fmt(get(r, 'memory.readyResources'))} Ready when measured` : 'all Ready'})`, get(r, 'memory.resources'), '', '10,000'],
    ['memory: operator RSS', get(r, 'memory.rssMiB'), 'MiB', '≤ 150'],
    ['churn: Pods deleted', get(r, 'churn.podsDeleted'), '', '10%'],
    ['churn: time to recover', get(r, 'churn.recoverySeconds'), 's', ''],
    [`peer: 10-deep, delay ${fmt(peerD)} s — kro ${fmt(get(r, 'peer.kroVersion'))}`, get(r, 'peer.kroReadySeconds'), 's', `floor ${fmt(get(r, 'peer.floorSeconds'))}`],
    [`peer: 10-deep, delay ${fmt(peerD)} s — Clockwork`, get(r, 'peer.clockworkReadySeconds'), 's', ''],
    ['peer: kro / Clockwork (delay)', get(r, 'peer.ratio'), '×', ''],
    ['peer: zero delay — kro', get(r, 'peer.kroZeroDelayReadySeconds'), 's', ''],
    ['peer: zero delay — Clockwork', get(r, 'peer.clockworkZeroDelayReadySeconds'), 's', ''],
    ['peer: kro / Clockwork (zero delay)', get(r, 'peer.ratioZeroDelay'), '×', '≥ 2'],
    [`peer: ${fmt(get(r, 'peer.scaleChains'))} chains × 10 — kro`, get(r, 'peer.kroScaleReadySeconds'), 's', ''],
    [`peer: ${fmt(get(r, 'peer.scaleChains'))} chains × 10 — Clockwork`, get(r, 'peer.clockworkScaleReadySeconds'), 's', ''],
    ['peer: kro / Clockwork (chains at scale)', get(r, 'peer.scaleRatio'), '×', '≥ 2'],
    ['docker: 5 containers, all Ready', get(r, 'docker.readySeconds'), 's', `floor ${fmt(get(r, 'docker.floorSeconds'))}`],
    ['three tiers on Docker — clockwork apply', get(r, 'compose.clockworkSeconds'), 's', `floor ${fmt(get(r, 'compose.floorSeconds'))}`],
    [`three tiers on Docker — docker compose ${fmt(get(r, 'compose.composeVersion'))} up --wait (1 s healthchecks)`, get(r, 'compose.compose1sSeconds'), 's', 'clockwork closer to the floor'],
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
