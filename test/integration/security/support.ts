// Shared by the tenant-safety tests: what a Resource's author can read back (its status, the
// namespace's Events, the operator's log lines about it) and whether a canary shows up there.
import { join } from 'node:path';
import { kubectl, kubectlJson, repoRoot, run } from '../../harness/index.ts';

export * from '../reliability/support.ts';

/** Everything a tenant sees in a namespace: its Resources (status included) and its Events. */
export async function tenantView(namespace: string): Promise<string> {
  const [resources, events] = await Promise.all([
    kubectlJson(['get', 'clockworkresources'], { namespace }),
    kubectlJson(['get', 'events'], { namespace }),
  ]);
  return JSON.stringify({ resources: resources.items.map((r: any) => ({ name: r.metadata.name, status: r.status })), events: events.items.map((e: any) => ({ reason: e.reason, message: e.message })) });
}

/** The canaries found in `text` (none, when nothing leaked). */
export function leaked(text: string, canaries: readonly string[]): string[] {
  return canaries.filter((c) => text.includes(c));
}

/** A Secret with a canary value in `namespace`; returns the strings that would betray it. */
export async function canarySecret(namespace: string, name: string): Promise<string[]> {
  const value = `canary-${namespace}-${name}-${Math.random().toString(36).slice(2, 10)}`;
  await kubectl(['create', 'secret', 'generic', name, `--from-literal=token=${value}`], { namespace });
  return [value, Buffer.from(value).toString('base64'), '"kind":"Secret', 'SecretList', `"namespace":"${namespace}"`];
}

/**
 * Whether `clockwork operator` takes a flag. The attack tests also run against the code from
 * before the flags existed (to show they fail there); they pass a flag only where it exists.
 */
export async function operatorHasFlag(flag: string): Promise<boolean> {
  const r = await run(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), 'operator', '--help'], { cwd: repoRoot, allowFailure: true });
  return r.stdout.includes(flag);
}
