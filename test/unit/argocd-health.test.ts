import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderArgocdPatch } from '../../deploy/argocd/render-patch.ts';

const dir = join(import.meta.dirname, '..', '..', 'deploy', 'argocd');

/** A JS value as a Lua table literal. */
function lua(value: unknown): string {
  if (Array.isArray(value)) return `{${value.map(lua).join(', ')}}`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `[${JSON.stringify(k)}] = ${lua(v)}`).join(', ')}}`;
  return JSON.stringify(value);
}

/** Runs the health script in a real Lua interpreter, as Argo CD would. */
function health(obj: object): string {
  const program = `obj = ${lua(obj)}; local hs = assert(loadfile(${JSON.stringify(join(dir, 'health.lua'))}))(); io.write(hs.status .. "|" .. hs.message)`;
  return execFileSync('lua5.4', ['-e', program], { encoding: 'utf8' });
}

const ready = (status: string, reason: string, message = 'm') => ({
  metadata: { generation: 2 },
  status: { observedGeneration: 2, conditions: [{ type: 'Ready', status, reason, message }] },
});

describe('Argo CD health check', () => {
  test('Healthy, Progressing and Degraded from the Ready condition', () => {
    expect(health(ready('True', 'Ready', 'all good'))).toBe('Healthy|all good');
    expect(health(ready('False', 'WaitingForDependencies', 'waiting for default/db: Starting'))).toBe('Progressing|waiting for default/db: Starting');
    expect(health(ready('False', 'CrashLoopBackOff'))).toBe('Degraded|m');
    expect(health(ready('False', 'Stalled'))).toBe('Degraded|m');
  });

  test('a Stalled condition is Degraded whatever the Ready reason (a failed dependency, a stalled descendant)', () => {
    const stalled = ready('False', 'DependencyFailed');
    stalled.status.conditions.push({ type: 'Stalled', status: 'True', reason: 'DependencyFailed', message: 'waiting for default/db: not Ready after 30s' });
    expect(health(stalled)).toBe('Degraded|waiting for default/db: not Ready after 30s');
  });

  test('a fresh object with only the defaulted status is Progressing', () => {
    expect(health({ metadata: { generation: 1 }, status: { observedGeneration: 0 } })).toBe('Progressing|waiting for the Clockwork operator to report status');
  });

  test('no status yet, or a spec the operator has not seen, is Progressing', () => {
    expect(health({ metadata: {} })).toBe('Progressing|waiting for the Clockwork operator to report status');
    expect(health({ ...ready('True', 'Ready'), metadata: { generation: 3 } })).toBe('Progressing|the operator has not yet seen the latest spec');
  });

  test('the argocd-cm patch carries the current script for both kinds', () => {
    expect(readFileSync(join(dir, 'argocd-cm-patch.yaml'), 'utf8')).toBe(renderArgocdPatch(readFileSync(join(dir, 'health.lua'), 'utf8')));
  });
});
