import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ImageMapError, applyImageMap, mapImage, parseImageMap } from '../../sdk/src/stack/image-map.ts';
import { compileStack } from '../../sdk/src/stack/compile.ts';
import { Resource } from '../../sdk/src/index.ts';

const root = join(import.meta.dirname, '..', '..');

describe('image map', () => {
  test('parses from=to entries separated by commas, spaces and lines, with comments', () => {
    expect(parseImageMap(['a:1=b:2, c=d', '# local builds\ne/f:3=g/h:4  # trailing\n'])).toEqual([
      { from: 'a:1', to: 'b:2' },
      { from: 'c', to: 'd' },
      { from: 'e/f:3', to: 'g/h:4' },
    ]);
    expect(parseImageMap(['', ' , '])).toEqual([]);
  });

  test('rejects entries that are not from=to', () => {
    for (const bad of ['postgres', '=x', 'x=', 'a=b=c']) expect(() => parseImageMap([bad])).toThrow(ImageMapError);
  });

  test('matches exact images, docker.io spellings, and a whole repository when from has no tag', () => {
    const entries = parseImageMap(['postgres:16.4=local/pg:15,prom/prometheus=local/prom:2.42,registry:5000/app=local/app:1']);
    expect(mapImage('postgres:16.4', entries)).toBe('local/pg:15');
    expect(mapImage('docker.io/library/postgres:16.4', entries)).toBe('local/pg:15');
    expect(mapImage('postgres:17', entries)).toBeUndefined();
    expect(mapImage('prom/prometheus:v2.53.4', entries)).toBe('local/prom:2.42');
    expect(mapImage('docker.io/prom/prometheus', entries)).toBe('local/prom:2.42');
    expect(mapImage('prom/prometheus-extra:1', entries)).toBeUndefined();
    expect(mapImage('registry:5000/app:7', entries)).toBe('local/app:1');
  });

  test('rewrites spec.image of compiled Resources and reports each substitution', () => {
    const db = new Resource({ name: 'db', image: 'postgres:16.4' });
    const web = new Resource({ name: 'web', image: 'nginx:1.27' });
    const stack = compileStack([db, web]);
    expect(applyImageMap(stack, parseImageMap(['postgres:16.4=local/pg:15']))).toEqual([{ resource: 'db', from: 'postgres:16.4', to: 'local/pg:15' }]);
    expect(stack.resources.map((r) => r.spec.image).sort()).toEqual(['local/pg:15', 'nginx:1.27']);
  });

  test('the CLI applies --image-map and CLOCKWORK_IMAGE_MAP (flags win) and says so on stderr', () => {
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [join(root, 'sdk/src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CLOCKWORK_IMAGE_MAP: '', ...env } });
    const r = run(['generate', 'examples/mixed-pattern/main.ts', '-o', 'json', '--image-map', 'postgres:16.4=flag/pg:1'], {
      CLOCKWORK_IMAGE_MAP: 'postgres:16.4=env/pg:1,prom/prometheus:v2.53.4=env/prom:1',
    });
    expect(r.status).toBe(0);
    const images = Object.fromEntries((JSON.parse(r.stdout).items as { metadata: { name: string }; spec: { image?: string } }[]).filter((o) => o.spec.image).map((o) => [o.metadata.name, o.spec.image]));
    expect(images).toEqual({ 'postgres-db': 'flag/pg:1', prometheus: 'env/prom:1', 'api-service': 'clockwork-examples/api-service:0.1.0' });
    expect(r.stderr).toContain('clockwork: image map: webapp/postgres-db runs flag/pg:1 instead of postgres:16.4');
    expect(r.stderr).toContain('clockwork: image map: prometheus runs env/prom:1 instead of prom/prometheus:v2.53.4');

    const bad = run(['plan', 'examples/mixed-pattern/main.ts', '--image-map', 'nonsense']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('invalid image map entry "nonsense"');
  });
});
