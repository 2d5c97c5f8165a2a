// The same security context on both targets (issue #18): the same stack (test/fixtures/stacks/
// restricted.ts) runs on the Docker engine and on the real node, and each container reports what
// the kernel says of it — capabilities (all five sets), no_new_privs, seccomp, user and group.
// The lines must be the same, with every capability dropped and no privilege escalation.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { kubectl, repoRoot, run } from '../harness/index.ts';
import { demuxLogs } from '../../sdk/src/targets/docker/log-frames.ts';
import { cleanup, clockwork, docker, uniqueNamespace } from './docker/helpers.ts';
import { deleteNamespaces, ensureCrds, newNamespace, startOperatorProcess, waitReady, type OperatorProcess } from '../integration/operator/support.ts';

const STACK = 'test/fixtures/stacks/restricted.ts';
const dockerNs = uniqueNamespace('cwsec');
let k8sNs = '';
let operator: OperatorProcess | undefined;

beforeAll(async () => {
  await ensureCrds();
  k8sNs = await newNamespace('restricted');
  operator = await startOperatorProcess(['--no-leader-elect', '--namespace', k8sNs]);
}, 120_000);

afterAll(async () => {
  await cleanup(dockerNs);
  await deleteNamespaces([k8sNs].filter(Boolean));
  await operator?.stop();
}, 120_000);

const securityLines = (log: string) => log.split('\n').filter((l) => l.startsWith('security: ')).map((l) => l.trim()).sort();

describe('security context on Docker and on Kubernetes', () => {
  test('every capability dropped, no_new_privs, seccomp filtering, the same user: the same on both', async () => {
    const applied = await clockwork(['apply', STACK, '-n', dockerNs, '--target', 'docker']);
    expect(applied.code).toBe(0);
    const dockerLines: Record<string, string[]> = {};
    for (const name of ['as-image-user', 'as-1234']) {
      const container = docker.getContainer(`clockwork-${dockerNs}-${name}`);
      const info = await container.inspect();
      expect(info.HostConfig.CapDrop).toEqual(['ALL']);
      expect(info.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
      expect(info.HostConfig.Privileged).toBe(false);
      dockerLines[name] = securityLines(demuxLogs(await container.logs({ stdout: true, stderr: true, follow: false })));
    }

    const manifests = await run(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), 'generate', STACK, '-n', k8sNs], { cwd: repoRoot });
    await kubectl(['apply', '-f', '-'], { input: manifests.stdout });
    const k8sLines: Record<string, string[]> = {};
    for (const name of ['as-image-user', 'as-1234']) {
      await waitReady(k8sNs, 'cwr', name, 90_000);
      k8sLines[name] = securityLines((await kubectl(['logs', name], { namespace: k8sNs })).stdout);
    }
    process.stderr.write(`[security] Docker:     ${JSON.stringify(dockerLines)}\n[security] Kubernetes: ${JSON.stringify(k8sLines)}\n`);
    expect(dockerLines).toEqual(k8sLines);
    for (const lines of Object.values(dockerLines)) {
      for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) expect(lines).toContain(`security: ${set}: 0000000000000000`);
      expect(lines).toContain('security: NoNewPrivs: 1');
      expect(lines).toContain('security: Seccomp: 2');
    }
    expect(dockerLines['as-1234']!.find((l) => l.includes('uid='))).toMatch(/uid=1234 gid=2345/);
  }, 240_000);
});
