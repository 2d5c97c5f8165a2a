import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { renderCrdFiles } from '../../sdk/src/crd/render.ts';
import { structuralSchema } from '../../sdk/src/crd/structural.ts';

const crdDir = join(import.meta.dirname, '..', '..', 'crds');

function walk(node: unknown, visit: (n: Record<string, unknown>, path: string) => void, path = ''): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n, i) => walk(n, visit, `${path}[${i}]`));
  visit(node as Record<string, unknown>, path);
  for (const [k, v] of Object.entries(node)) walk(v, visit, `${path}.${k}`);
}

describe('CRDs', () => {
  test('the checked-in files are exactly what the schemas generate (run `make crds` after a schema change)', () => {
    const generated = renderCrdFiles();
    expect(readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort()).toEqual(generated.map((g) => g.file).sort());
    for (const { file, content } of generated) {
      expect(readFileSync(join(crdDir, file), 'utf8')).toBe(content);
      expect(readFileSync(join(crdDir, '..', 'deploy', 'crds', file), 'utf8')).toBe(content);
    }
  });

  test('schemas are structural: no $ref, no unions, no additionalProperties beside properties', () => {
    for (const { content } of renderCrdFiles()) {
      walk(JSON.parse(JSON.stringify(parseYaml(content))), (n, path) => {
        if (!path.includes('openAPIV3Schema')) return;
        expect(n.$ref).toBeUndefined();
        expect(n.anyOf).toBeUndefined();
        expect(n.oneOf).toBeUndefined();
        if (n.properties !== undefined) expect(n.additionalProperties).toBeUndefined();
      });
    }
  });

  test('ports that may be named are int-or-string; cross-field rules are CEL', () => {
    const resourceCrd = parseYaml(renderCrdFiles()[0]!.content) as any;
    const spec = resourceCrd.spec.versions[0].schema.openAPIV3Schema.properties.spec;
    expect(spec.properties.readiness.properties.httpGet.properties.port['x-kubernetes-int-or-string']).toBe(true);
    expect(spec.properties.readiness['x-kubernetes-validations'][0].rule).toBe('[has(self.httpGet), has(self.tcpSocket), has(self.exec)].filter(x, x).size() == 1');
    expect(spec['x-kubernetes-validations'].map((v: { message: string }) => v.message)).toContain('port numbers must be unique per protocol');
    expect(spec.properties.ports.maxItems).toBe(32);
    expect(spec.properties.env['x-kubernetes-list-map-keys']).toEqual(['name']);
    expect(spec.properties.image.maxLength).toBe(512);
    expect(spec.required).toEqual(['image']);
  });

  test('names, short names, category, status subresource and printer columns', () => {
    const [resourceCrd, compositeCrd] = renderCrdFiles().map((f) => parseYaml(f.content) as any);
    expect(resourceCrd.spec.names).toMatchObject({ kind: 'Resource', plural: 'clockworkresources', shortNames: ['cwr'], categories: ['clockwork'] });
    expect(compositeCrd.spec.names).toMatchObject({ kind: 'Composite', plural: 'clockworkcomposites', shortNames: ['cwc'], categories: ['clockwork'] });
    expect(resourceCrd.spec.versions[0].subresources).toEqual({ status: {} });
    const columns = (crd: any) => crd.spec.versions[0].additionalPrinterColumns.filter((c: any) => !c.priority).map((c: any) => c.name);
    expect(columns(resourceCrd)).toEqual(['Ready', 'Reason', 'Assertions', 'Composite', 'Age']);
    expect(columns(compositeCrd)).toEqual(['Ready', 'Status', 'Age']);
  });

  test('a union of different shapes cannot become a structural schema', () => {
    expect(() => structuralSchema(z.object({ v: z.union([z.string(), z.object({ a: z.string() })]) }))).toThrow(/\.v: unions cannot be expressed/);
  });
});
