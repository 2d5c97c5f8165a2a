// Shared by the global setup modules: start a cluster once per run and make sure it is stopped
// on teardown, on process exit and on SIGINT/SIGTERM (Ctrl-C), even when setup itself failed.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildCluster, leftovers, startCluster, stateDirEnv, stopCluster, stopClusterSync, type ClusterInfo, type Profile } from './cluster.ts';
import { repoRoot } from './exec.ts';

const testRoot = resolve(repoRoot, '.cluster-test');

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Stops clusters left in .cluster-test/<profile>-<pid> by jest runs that died without teardown
 * (SIGKILL, power loss), then removes their dirs.
 */
function sweepStale(): void {
  if (!existsSync(testRoot)) return;
  for (const name of readdirSync(testRoot)) {
    const m = /^(kwok|real)-(\d+)$/.exec(name);
    if (!m || pidAlive(Number(m[2]))) continue;
    const dir = resolve(testRoot, name);
    process.stderr.write(`[clockwork] removing ${dir} (from an earlier or interrupted test run)\n`);
    stopClusterSync(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CLOCKWORK_<PROFILE>_CLUSTER_DIR when set, else .cluster-test/<profile>-<pid of this jest run>. */
function runStateDir(profile: Profile): string {
  return process.env[stateDirEnv[profile]] ?? resolve(testRoot, `${profile}-${process.pid}`);
}

const started = new Map<Profile, string>();
let handlersInstalled = false;

function stopAllSync(): void {
  for (const [profile, dir] of started) {
    started.delete(profile);
    const r = stopClusterSync(dir);
    if (r.code !== 0) process.stderr.write(`[clockwork] cluster down (${dir}) failed:\n${r.stderr}\n`);
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', stopAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\n[clockwork] ${sig}: stopping test clusters\n`);
      stopAllSync();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Builds (when not cached) and starts the profile's test cluster; exports its env for the workers. */
export async function setupCluster(profile: Profile): Promise<ClusterInfo> {
  sweepStale();
  const dir = runStateDir(profile);
  mkdirSync(dir, { recursive: true });
  installHandlers();
  started.set(profile, dir);
  try {
    await buildCluster();
    process.env[stateDirEnv[profile]] = dir;
    const info = await startCluster(profile, dir);
    process.env.CLOCKWORK_CLUSTER_DIR = dir;
    process.env.KUBECONFIG = info.kubeconfig;
    return info;
  } catch (e) {
    stopAllSync();
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`[clockwork] could not start the ${profile} test cluster (${dir}):\n${msg}`);
  }
}

export async function teardownCluster(profile: Profile): Promise<void> {
  const dir = started.get(profile) ?? runStateDir(profile);
  started.delete(profile);
  // Keeps <dir>/logs for post-mortems; the next run's sweepStale() removes the dir.
  await stopCluster(dir);
  const left = await leftovers(dir);
  if (left) throw new Error(`[clockwork] the ${profile} test cluster (${dir}) left things behind:\n${left}`);
}
