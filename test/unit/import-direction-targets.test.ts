import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const src = join(import.meta.dirname, '..', '..', 'sdk', 'src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : []));
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^import[^;]*?from '([^']+)'/gms)].map((m) => m[1]!);

describe('one engine, two backends: imports flow one way', () => {
  test('the engine, assertions, API and graph never import a backend or dockerode', () => {
    const offenders: string[] = [];
    for (const folder of ['engine', 'assertions', 'api', 'graph'])
      for (const file of files(join(src, folder)))
        for (const spec of importsOf(file)) if (spec.includes('/targets/') || spec === 'dockerode' || spec.includes('/cli/')) offenders.push(`${relative(src, file)} → ${spec}`);
    expect(offenders).toEqual([]);
  });

  test('targets never import the CLI', () => {
    const offenders = files(join(src, 'targets')).flatMap((file) => importsOf(file).filter((s) => s.includes('/cli/')).map((s) => `${relative(src, file)} → ${s}`));
    expect(offenders).toEqual([]);
  });

  test('the dashboard sits beside the CLI: no target or engine imports it', () => {
    const offenders = ['engine', 'targets', 'assertions', 'api', 'graph', 'stack'].flatMap((folder) =>
      files(join(src, folder)).flatMap((file) => importsOf(file).filter((s) => s.includes('/dashboard')).map((s) => `${relative(src, file)} → ${s}`)),
    );
    expect(offenders).toEqual([]);
  });

  test('the dashboard page bundles only Preact, dagre, its own files and the shared model types', () => {
    const offenders = files(join(src, 'dashboard-ui')).flatMap((file) =>
      importsOf(file)
        .filter((s) => !(s.startsWith('./') || s === '../dashboard/dashboard-model.ts' || s === '@dagrejs/dagre' || s === 'preact' || s.startsWith('preact/')))
        .map((s) => `${relative(src, file)} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });
});
