// Scenario 6: the seed-shaped 5-container stack on the local Docker engine (local busybox image,
// health delays): time to Ready vs the critical-path floor (the longest chain of health delays).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deploy } from '../../sdk/src/index.ts';
import { buildTestImages, dockerUp, repoRoot, run } from '../../test/harness/index.ts';
import { log, onCleanup } from '../env.ts';
import { median, round } from '../stats.ts';
import { build, floorSeconds } from '../stacks/docker-seed.ts';

const NS = 'bench-docker';
const STACK = join(repoRoot, 'bench/stacks/docker-seed.ts');

function removeSync(): void {
  const ids = spawnSync('docker', ['ps', '-aq', '--filter', `label=clockwork.dev/namespace=${NS}`], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
  if (ids.length) spawnSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
  spawnSync('docker', ['network', 'rm', `clockwork-${NS}`], { stdio: 'ignore' });
}

async function destroy(scale: number): Promise<void> {
  await run(join(repoRoot, 'bin/clockwork'), ['destroy', STACK, '--target', 'docker', '-n', NS], {
    env: { BENCH_DOCKER_SCALE: String(scale) },
    timeoutMs: 120_000,
    allowFailure: true,
  });
  removeSync();
}

export async function runDocker(quick: boolean): Promise<Record<string, unknown>> {
  await dockerUp();
  await buildTestImages();
  const scale = quick ? 0.5 : 1;
  const reps = quick ? 1 : 4;
  const floor = floorSeconds(scale);
  const unregister = onCleanup('docker stack', () => destroy(scale), removeSync);
  const runs: number[] = [];
  try {
    await destroy(scale); // leftovers of an interrupted run
    for (let i = 0; i < reps; i++) {
      const readyAt: Record<string, number> = {};
      const t0 = performance.now();
      await deploy(build(scale), {
        namespace: NS,
        target: 'docker',
        timeoutSeconds: 120,
        onProgress: (e) => {
          if (e.ready) readyAt[e.resource] ??= performance.now() - t0;
        },
      });
      const s = (performance.now() - t0) / 1000;
      runs.push(s);
      log(`docker #${i}: Ready in ${s.toFixed(2)} s (floor ${floor} s) ${Object.entries(readyAt).map(([k, v]) => `${k}@${(v / 1000).toFixed(2)}`).join(' ')}`);
      await destroy(scale);
    }
  } finally {
    await unregister();
  }
  const ready = median(runs);
  return {
    containers: 5,
    repetitions: reps,
    readySeconds: round(ready, 2),
    readySecondsRuns: runs.map((r) => round(r, 2)),
    floorSeconds: floor,
    overFloorSeconds: round(ready - floor, 2),
    ratioToFloor: round(ready / floor, 2),
  };
}
