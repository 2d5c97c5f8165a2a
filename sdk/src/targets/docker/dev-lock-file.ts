import { createHash } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevSessionTakenError, type DevSessionClaim, type DevSessionLock } from '../dev-session-lock.ts';

interface Recorded {
  identity: string;
  file: string;
  pid: number;
  host: string;
  since: string;
}

/**
 * A `clockwork dev` session on the local engine: a lock file per engine, namespace and stack
 * (created exclusively). A file whose process is gone (same host) is stale and taken over.
 */
export function claimDevLockFile(claim: DevSessionClaim, engine: string, dir = join(tmpdir(), 'clockwork-dev')): DevSessionLock {
  mkdirSync(dir, { recursive: true });
  const key = createHash('sha256').update(JSON.stringify([engine, claim.namespace, claim.stackName])).digest('hex').slice(0, 16);
  const path = join(dir, `${claim.stackName}-${claim.namespace}-${key}.json`.replace(/[^A-Za-z0-9._-]/g, '_'));
  const mine: Recorded = { ...claim.holder, pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(mine));
      closeSync(fd);
      return { release: async () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const other = readRecorded(path);
    if (other && other.host === hostname() && !alive(other.pid)) {
      rmSync(path, { force: true });
      continue;
    }
    if (other) throw new DevSessionTakenError(claim, `${other.identity} watching ${other.file}`, other.since);
    // Being written by the other process this very moment, or unreadable: it is held.
    throw new DevSessionTakenError(claim, `another process (lock file ${path})`, undefined);
  }
  throw new DevSessionTakenError(claim, `another process (lock file ${path})`, undefined);
}

function readRecorded(path: string): Recorded | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Recorded;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
