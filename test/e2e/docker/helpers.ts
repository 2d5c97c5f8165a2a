// Helpers for the Docker target's end-to-end tests: run the real CLI, read containers back.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Docker from 'dockerode';

export const root = join(import.meta.dirname, '..', '..', '..');
export const fixture = (name: string) => join('test/fixtures/stacks/docker', name);
export const docker = new Docker();

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `clockwork …` as a user would (Node 24, from the repo root). */
export function clockwork(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'sdk/src/cli/main.ts'), ...args], { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) }));
  });
}

export const uniqueNamespace = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

/**
 * A host port no socket uses, below the ephemeral range (32768+), where an outgoing connection
 * could take it before the container publishes it.
 */
export function freePort(): number {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (!spawnSync('ss', ['-Htan', `sport = :${port}`], { encoding: 'utf8' }).stdout.trim()) return port;
  }
}

export interface ContainerFacts {
  id: string;
  resource: string;
  running: boolean;
  startedAt: number;
}

export async function containersOf(namespace: string): Promise<Map<string, ContainerFacts>> {
  const list = await docker.listContainers({ all: true, filters: { label: [`clockwork.dev/namespace=${namespace}`] } });
  const out = new Map<string, ContainerFacts>();
  for (const c of list) {
    const info = await docker.getContainer(c.Id).inspect();
    const resource = c.Labels['clockwork.dev/resource']!;
    out.set(resource, { id: c.Id, resource, running: info.State.Running, startedAt: Date.parse(info.State.StartedAt) });
  }
  return out;
}

export async function networkExists(namespace: string): Promise<boolean> {
  const networks = await docker.listNetworks({ filters: { name: [`clockwork-${namespace}`] } });
  return networks.some((n) => n.Name === `clockwork-${namespace}`);
}

/** Removes whatever a test left behind in its namespace. */
export async function cleanup(namespace: string): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [`clockwork.dev/namespace=${namespace}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  await docker.getNetwork(`clockwork-${namespace}`).remove().catch(() => undefined);
}

export interface RunningCli {
  /** Everything printed on stdout so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /**
   * Resolves when stdout (from offset `from`: what came after a mark) matches; each new chunk is
   * checked. Rejects after `timeoutMs` with what was printed.
   */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpMatchArray>;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  interrupt(): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

/** Starts `clockwork …` and leaves it running (logs -f, dev). */
export function startClockwork(args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [join(root, 'sdk/src/cli/main.ts'), ...args], { cwd: root, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    for (const l of [...listeners]) l();
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor: (pattern, timeoutMs = 30_000, from = 0) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = stdout.slice(from).match(pattern);
          if (!m) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(m);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        listeners.add(check);
        check();
        void exited.then(() => {
          if (!listeners.has(check)) return;
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`clockwork exited before ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`));
        });
      }),
    interrupt: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}
