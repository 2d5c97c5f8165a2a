// Imports flow one way over the whole tree (sdk/src and operator/src, static and dynamic
// imports): api/ and graph/ (pure) ← engine ← backends (Kubernetes, Docker) ← operator and CLI.
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { findCycles } from '../../sdk/src/graph/index.ts';

const root = join(import.meta.dirname, '..', '..');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : []));
const tree = [...files(join(root, 'sdk/src')), ...files(join(root, 'operator/src'))];
const rel = (file: string) => relative(root, file);

interface Import {
  /** What the file names: a package, or a path of the tree (relative to the repository). */
  target: string;
  /** Only types: erased before the code runs, so it cannot take part in a load-order cycle. */
  typeOnly: boolean;
  dynamic: boolean;
}

/** Every import and re-export of a file, static and dynamic, with whether it is only types. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: Import[] = [];
  const target = (spec: string) => (spec.startsWith('.') ? rel(resolve(dirname(file), spec)) : spec);
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]/gm)) {
    const [, , typeKeyword, clause, spec] = m;
    const names = /\{([^}]*)\}/.exec(clause ?? '')?.[1]?.split(',').map((n) => n.trim()).filter(Boolean) ?? [];
    const everyNameTyped = names.length > 0 && !/^[A-Za-z_$][\w$]*\s*,|\*/.test(clause ?? '') && names.every((n) => n.startsWith('type '));
    out.push({ target: target(spec!), typeOnly: Boolean(typeKeyword) || everyNameTyped, dynamic: false });
  }
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push({ target: target(m[1]!), typeOnly: false, dynamic: false });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ target: target(m[1]!), typeOnly: false, dynamic: true });
  return out;
}

const graph = new Map(tree.map((file) => [rel(file), importsOf(file)]));
const inTree = (target: string) => target.startsWith('sdk/src/') || target.startsWith('operator/src/');
const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`);

/** Every `file → import` of the files below `folder` whose target `forbidden` matches. */
function offenders(folder: string, forbidden: (target: string) => boolean, options: { types?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const [file, imports] of graph)
    if (under(folder)(file)) for (const i of imports) if ((options.types !== false || !i.typeOnly) && forbidden(i.target)) out.push(`${file} → ${i.target}`);
  return out;
}

/** What the files below `folder` reach through runtime imports, transitively, and how. */
function reachable(folder: string): Map<string, string> {
  const via = new Map<string, string>();
  const queue = [...graph.keys()].filter(under(folder));
  for (const f of queue) via.set(f, f);
  for (let i = 0; i < queue.length; i++) {
    for (const imp of graph.get(queue[i]!) ?? []) {
      if (imp.typeOnly || via.has(imp.target)) continue;
      via.set(imp.target, `${via.get(queue[i]!)} → ${imp.target}`);
      if (graph.has(imp.target)) queue.push(imp.target);
    }
  }
  return via;
}

describe('imports flow one way over the whole tree', () => {
  test('the parser sees the tree: static, re-exported, type-only and dynamic imports', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get('sdk/src/cli/main.ts')).toEqual(expect.arrayContaining([expect.objectContaining({ target: 'operator/src/main/operator-command.ts', dynamic: true })]));
    expect(graph.get('sdk/src/engine/index.ts')).toEqual(expect.arrayContaining([expect.objectContaining({ target: 'sdk/src/engine/state-graph.ts', typeOnly: false })]));
    expect(graph.get('sdk/src/engine/index.ts')).toEqual(expect.arrayContaining([expect.objectContaining({ target: 'sdk/src/engine/backend.ts', typeOnly: true })]));
    // Every relative import names a file of the tree (a typo here would hide an edge).
    const dangling = [...graph].flatMap(([file, imports]) => imports.filter((i) => /^(sdk|operator)\/src\/.*\.tsx?$/.test(i.target) && !graph.has(i.target)).map((i) => `${file} → ${i.target}`));
    expect(dangling).toEqual([]);
  });

  test('no import cycles (runtime imports, static and dynamic; type-only imports are erased and left out)', () => {
    const edges = new Map([...graph].map(([file, imports]) => [file, [...new Set(imports.filter((i) => !i.typeOnly && graph.has(i.target)).map((i) => i.target))]]));
    expect(findCycles(edges).map((c) => c.join(' → '))).toEqual([]);
  });

  test('api/ and graph/ import nothing of the project; graph/ no package either', () => {
    expect(offenders('sdk/src/api', (t) => inTree(t) && !under('sdk/src/api')(t))).toEqual([]);
    expect(offenders('sdk/src/graph', (t) => !under('sdk/src/graph')(t) && !t.startsWith('node:'))).toEqual([]);
  });

  test('the engine imports no backend, no Kubernetes or Docker client, no CLI and no operator', () => {
    const backend = (t: string) =>
      ['sdk/src/targets/', 'sdk/src/kubernetes/', 'sdk/src/cli/', 'sdk/src/dashboard/', 'operator/'].some((p) => t.startsWith(p)) || t === 'dockerode' || t.startsWith('@kubernetes/');
    for (const folder of ['sdk/src/engine', 'sdk/src/assertions', 'sdk/src/stack']) expect(offenders(folder, backend)).toEqual([]);
  });

  test('the operator imports nothing of the CLI, the targets or the dashboard', () => {
    expect(offenders('operator/src', (t) => ['sdk/src/cli/', 'sdk/src/targets/', 'sdk/src/dashboard/'].some((p) => t.startsWith(p)))).toEqual([]);
  });

  test('the Docker target reaches no Kubernetes code, directly or through what it imports', () => {
    const kubernetes = (t: string) => t.startsWith('@kubernetes/') || t.startsWith('sdk/src/targets/kubernetes/') || t.startsWith('sdk/src/kubernetes/') || t.startsWith('operator/');
    const reached = reachable('sdk/src/targets/docker');
    expect([...reached].filter(([target]) => kubernetes(target)).map(([, path]) => path)).toEqual([]);
  });

  test('targets and the SDK below the CLI never import the CLI', () => {
    for (const folder of ['sdk/src/targets', 'sdk/src/kubernetes', 'sdk/src/complete', 'sdk/src/manifest', 'sdk/src/plan', 'sdk/src/crd'])
      expect(offenders(folder, under('sdk/src/cli'))).toEqual([]);
  });
});
