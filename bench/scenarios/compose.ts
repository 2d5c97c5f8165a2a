// Scenario 7: the Docker target beside `docker compose up --wait` on the same three-tier stack
// (bench/stacks/three-tier.ts, written both ways), in the same run, alternating. Both are timed as
// a user runs them: the CLI's wall time, from the command to every tier Ready/healthy. compose is
// built from its Go module (v2.40.3, through the wrapper module in bench/compose/, since compose's
// go.mod has exclude directives a plain `go install` refuses) into ~/.cache/clockwork/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { buildTestImages, dockerUp, repoRoot, run } from '../../test/harness/index.ts';
import { log, onCleanup } from '../env.ts';
import { median, round } from '../stats.ts';
import { composeFile, floorSeconds, START_DELAY_S } from '../stacks/three-tier.ts';

const NS = 'bench-three-tier';
const PROJECT = 'bench-three-tier';
const STACK = join(repoRoot, 'bench/stacks/three-tier.ts');
const MODULE_DIR = join(repoRoot, 'bench/compose');
/** The health-check intervals compose is timed with: the reference (1 s) and a fast one. */
const INTERVALS_MS = [1000, 100] as const;

/** The compose version the wrapper module requires. */
function composeVersion(): string {
  const version = /^require github\.com\/docker\/compose\/v2 (v[\d.]+)$/m.exec(readFileSync(join(MODULE_DIR, 'go.mod'), 'utf8'))?.[1];
  if (!version) throw new Error('bench/compose/go.mod does not require github.com/docker/compose/v2');
  return version;
}

/** Builds docker-compose from the Go module proxy once per version; returns the binary. */
export async function buildCompose(): Promise<{ binary: string; version: string }> {
  const version = composeVersion();
  const dir = join(process.env.CLOCKWORK_CACHE ?? join(homedir(), '.cache/clockwork'), `compose-${version}`);
  const binary = join(dir, 'docker-compose');
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${binary}.${process.pid}.tmp`;
    log(`building docker compose ${version} into ${dir} (go build through bench/compose, once)`);
    const ldflags = `-s -w -X github.com/docker/compose/v2/internal.Version=${version}`;
    await run('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', partial, 'github.com/docker/compose/v2/cmd'], { cwd: MODULE_DIR, env: { CGO_ENABLED: '0' }, echo: true, timeoutMs: 3600_000 });
    renameSync(partial, binary); // atomic: a concurrent run sees no half-written binary
  }
  return { binary, version };
}

function removeSync(): void {
  const ids = [`label=clockwork.dev/namespace=${NS}`, `label=com.docker.compose.project=${PROJECT}`].flatMap((filter) =>
    spawnSync('docker', ['ps', '-aq', '--filter', filter], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean),
  );
  if (ids.length) spawnSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
  for (const network of [`clockwork-${NS}`, `${PROJECT}_default`]) spawnSync('docker', ['network', 'rm', network], { stdio: 'ignore' });
}

// The installed command (bin/clockwork, precompiled), as `make install-cli` puts it on PATH.
const clockworkCli = (args: string[]) => run(join(repoRoot, 'bin/clockwork'), [...args, STACK, '--target', 'docker', '-n', NS], { timeoutMs: 120_000, allowFailure: true });

async function timeClockwork(): Promise<{ wallSeconds: number; readySeconds: number }> {
  const t0 = performance.now();
  const r = await clockworkCli(['apply']);
  const wallSeconds = (performance.now() - t0) / 1000;
  if (r.code !== 0) throw new Error(`clockwork apply failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  const readySeconds = Number(/Ready in namespace "[^"]+" on docker after ([\d.]+)s/.exec(r.stdout)?.[1]);
  await clockworkCli(['destroy']);
  return { wallSeconds, readySeconds };
}

async function timeCompose(binary: string, file: string): Promise<number> {
  const compose = (args: string[]) => run(binary, ['-p', PROJECT, '-f', file, ...args], { timeoutMs: 120_000, allowFailure: true });
  const t0 = performance.now();
  const r = await compose(['up', '-d', '--wait']);
  const seconds = (performance.now() - t0) / 1000;
  if (r.code !== 0) throw new Error(`docker compose up --wait failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  await compose(['down', '-t', '1']);
  return seconds;
}

export async function runCompose(quick: boolean): Promise<Record<string, unknown>> {
  await dockerUp();
  await buildTestImages();
  const { binary, version } = await buildCompose();
  const reps = quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'clockwork-bench-compose-'));
  const files = Object.fromEntries(INTERVALS_MS.map((ms) => [ms, join(dir, `compose-${ms}ms.yaml`)]));
  for (const ms of INTERVALS_MS) writeFileSync(files[ms]!, stringify(composeFile(ms)));
  const unregister = onCleanup('docker stack', async () => removeSync(), removeSync);
  const clockwork: { wallSeconds: number; readySeconds: number }[] = [];
  const composeRuns: Record<number, number[]> = Object.fromEntries(INTERVALS_MS.map((ms) => [ms, []]));
  try {
    removeSync(); // leftovers of an interrupted run
    for (let i = 0; i < reps; i++) {
      const c = await timeClockwork();
      clockwork.push(c);
      const line = [`clockwork ${c.wallSeconds.toFixed(2)} s (Ready after ${c.readySeconds.toFixed(2)} s)`];
      for (const ms of INTERVALS_MS) {
        const s = await timeCompose(binary, files[ms]!);
        composeRuns[ms]!.push(s);
        line.push(`compose ${ms} ms healthchecks ${s.toFixed(2)} s`);
      }
      log(`three tiers #${i}: ${line.join(', ')} (floor ${floorSeconds()} s)`);
    }
  } finally {
    await unregister();
    rmSync(dir, { recursive: true, force: true });
  }
  const wall = median(clockwork.map((c) => c.wallSeconds));
  const compose1s = median(composeRuns[1000]!);
  return {
    tiers: 3,
    startDelaySeconds: START_DELAY_S,
    floorSeconds: floorSeconds(),
    repetitions: reps,
    composeVersion: version,
    clockworkSeconds: round(wall, 2),
    clockworkReadySeconds: round(median(clockwork.map((c) => c.readySeconds)), 2),
    clockworkRuns: clockwork.map((c) => round(c.wallSeconds, 2)),
    compose1sSeconds: round(compose1s, 2),
    compose1sRuns: composeRuns[1000]!.map((s) => round(s, 2)),
    compose100msSeconds: round(median(composeRuns[100]!), 2),
    compose100msRuns: composeRuns[100]!.map((s) => round(s, 2)),
    clockworkOverFloorSeconds: round(wall - floorSeconds(), 2),
    // What the command costs beyond the stack's own rollout: start-up, compiling the stack file, exit.
    clockworkOverReadySeconds: round(median(clockwork.map((c) => c.wallSeconds - c.readySeconds)), 2),
    composeOverFloorSeconds: round(compose1s - floorSeconds(), 2),
  };
}
