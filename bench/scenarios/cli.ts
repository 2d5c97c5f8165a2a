// Scenario 8: how fast the `clockwork` command starts, as a user runs it — the bin linked into a
// directory on PATH (what `make install-cli` does) with the machine's own `node` (possibly older)
// first on PATH — beside `npx clockwork` and the TypeScript sources for reference.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../../test/harness/index.ts';
import { log } from '../env.ts';
import { median, round } from '../stats.ts';

const SEED = join(repoRoot, 'examples/mixed-pattern/main.ts');

/** Wall seconds of each run (after one untimed warm-up, which fills Node's compile cache). */
function time(command: string, args: string[], env: NodeJS.ProcessEnv, runs: number): number[] {
  const once = () => {
    const t0 = performance.now();
    const r = spawnSync(command, args, { cwd: repoRoot, env, encoding: 'utf8' });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
    return seconds;
  };
  once();
  return Array.from({ length: runs }, once);
}

export async function runCli(quick: boolean): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'clockwork-bench-cli-'));
  try {
    mkdirSync(join(dir, 'bin'));
    symlinkSync(join(repoRoot, 'bin/clockwork'), join(dir, 'bin/clockwork'));
    // The machine's node (20 here) comes right after the bin: the bin must still run on Node 24.
    const env = { HOME: process.env.HOME, PATH: `${join(dir, 'bin')}:/usr/local/bin:/usr/bin:/bin` };
    const runs = quick ? 5 : 15;
    const version = time('clockwork', ['--version'], env, runs);
    const plan = time('clockwork', ['plan', SEED], env, quick ? 3 : 10);
    const npx = time('npx', ['--no-install', 'clockwork', '--version'], { ...env, npm_config_update_notifier: 'false' }, quick ? 1 : 3);
    const sourceVersion = time(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), '--version'], process.env, quick ? 1 : 3);
    const sourcePlan = time(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), 'plan', SEED], process.env, quick ? 1 : 3);
    const result = {
      versionSeconds: round(median(version), 3),
      versionRuns: version.map((s) => round(s, 3)),
      planSeconds: round(median(plan), 3),
      planRuns: plan.map((s) => round(s, 3)),
      npxVersionSeconds: round(median(npx), 3),
      sourceVersionSeconds: round(median(sourceVersion), 3),
      sourcePlanSeconds: round(median(sourcePlan), 3),
    };
    log(`cli: --version ${result.versionSeconds} s, plan ${result.planSeconds} s (npx --version ${result.npxVersionSeconds} s; sources: --version ${result.sourceVersionSeconds} s, plan ${result.sourcePlanSeconds} s)`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
