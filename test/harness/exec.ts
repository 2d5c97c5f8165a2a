// Small promise wrapper around child_process.spawn used by the harness.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const clusterScript: string = resolve(repoRoot, 'test/cluster/cluster.sh');
export const buildScript: string = resolve(repoRoot, 'test/cluster/build.sh');
export const dockerUpScript: string = resolve(repoRoot, 'test/docker/docker-up.sh');
export const testImagesScript: string = resolve(repoRoot, 'test/docker/build-test-images.sh');

export interface RunOptions {
  /** Text written to the process's stdin. */
  input?: string | Buffer;
  /** Extra environment (merged over process.env). */
  env?: Record<string, string | undefined>;
  /** Kill the process (SIGKILL) after this many ms; default 120 000. */
  timeoutMs?: number;
  /** Resolve instead of rejecting when the exit code is not 0. */
  allowFailure?: boolean;
  /** Copy the process's stdout/stderr to this process's stderr as they arrive (for long scripts). */
  echo?: boolean;
  cwd?: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
  /** Set when the process was killed by a signal (or by the timeout). */
  signal: NodeJS.Signals | null;
}

export class CommandError extends Error {
  readonly result: RunResult;
  constructor(cmd: string, args: readonly string[], result: RunResult) {
    const tail = (s: string): string => s.trimEnd().split('\n').slice(-40).join('\n');
    super(
      `command failed (${result.signal ?? `exit ${result.code}`}): ${[cmd, ...args].join(' ')}\n` +
        (result.stderr.trim() ? `--- stderr ---\n${tail(result.stderr)}\n` : '') +
        (result.stdout.trim() ? `--- stdout ---\n${tail(result.stdout)}` : ''),
    );
    this.name = 'CommandError';
    this.result = result;
  }
}

/** Runs a command and collects its output; rejects with CommandError on a non-zero exit (unless allowFailure). */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => {
      out.push(b);
      if (opts.echo) process.stderr.write(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      err.push(b);
      if (opts.echo) process.stderr.write(b);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result: RunResult = {
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code: code ?? -1,
        signal,
      };
      if (result.code !== 0 && !opts.allowFailure) reject(new CommandError(cmd, args, result));
      else resolvePromise(result);
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** Synchronous variant, for exit/signal handlers. */
export function runSync(cmd: string, args: readonly string[], opts: Omit<RunOptions, 'echo'> = {}): RunResult {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    input: opts.input ?? '',
    timeout: opts.timeoutMs ?? 120_000,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const result: RunResult = { stdout: r.stdout ?? '', stderr: r.stderr ?? '', code: r.status ?? -1, signal: r.signal };
  if (result.code !== 0 && !opts.allowFailure) throw new CommandError(cmd, args, result);
  return result;
}

/** Polls fn until it returns a value other than undefined/false, or throws after timeoutMs with the last error. */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const reason = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${opts.timeoutMs ?? 30_000} ms waiting for ${what}${reason}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}

/** Every line a child process writes to stdout and stderr, as it arrives (a partial line waits for its end). */
export function collectLines(child: { stdout: NodeJS.ReadableStream | null; stderr: NodeJS.ReadableStream | null }): string[] {
  const lines: string[] = [];
  let partial = '';
  const onData = (b: Buffer) => {
    partial += b.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return lines;
}
