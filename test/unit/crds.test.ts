import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ADMISSION_POLICY_COPIES, isHelmTemplates, renderAdmissionPolicyFile } from '../../sdk/src/crd/admission-policy.ts';
import { CRD_COPIES, renderCrdFiles, renderSpecTypes, SPEC_TYPES_FILE } from '../../sdk/src/crd/render.ts';
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
    const policy = renderAdmissionPolicyFile();
    const helmPolicy = renderAdmissionPolicyFile({ helm: true });
    expect(readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort()).toEqual([...generated.map((g) => g.file), policy.file].sort());
    for (const { file, content } of generated) {
      for (const dir of CRD_COPIES) expect(`${dir}/${file}:\n${readFileSync(join(crdDir, '..', dir, file), 'utf8')}`).toBe(`${dir}/${file}:\n${content}`);
    }
    for (const dir of ADMISSION_POLICY_COPIES) {
      const want = isHelmTemplates(dir) ? helmPolicy : policy;
      expect(`${dir}/${want.file}:\n${readFileSync(join(crdDir, '..', dir, want.file), 'utf8')}`).toBe(`${dir}/${want.file}:\n${want.content}`);
    }
  });

  test("the SDK's documented types are what the CRDs generate: editors show the CRDs' descriptions", () => {
    const types = readFileSync(join(crdDir, '..', SPEC_TYPES_FILE), 'utf8');
    expect(types).toBe(renderSpecTypes());
    expect(types).toMatch(/\/\*\*\n\s+\* Seconds between checks once Ready \(default 10\)[^/]*\*\/\n\s+periodSeconds\?: number;/);
  });

  /** Every field of both CRDs (spec, status and the object's own), as `plural.path` with its schema. */
  const fields = () =>
    renderCrdFiles().flatMap(({ content }) => {
      const crd = parseYaml(content) as any;
      const out: [string, Record<string, any>][] = [];
      const visit = (node: Record<string, any>, path: string) => {
        for (const [key, child] of Object.entries<Record<string, any>>(node.properties ?? {})) {
          out.push([`${path}.${key}`, child]);
          visit(child, `${path}.${key}`);
        }
        if (node.items) visit(node.items, `${path}[]`);
      };
      visit(crd.spec.versions[0].schema.openAPIV3Schema, crd.spec.names.plural);
      return out;
    });

  test('every field of both CRDs has a description (kubectl explain)', () => {
    // metadata may carry nothing but its type; the apiserver documents it (ObjectMeta).
    const all = fields().filter(([path]) => !/^\w+\.metadata$/.test(path));
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter(([, schema]) => typeof schema.description !== 'string' || schema.description.length < 10).map(([path]) => path)).toEqual([]);
  });

  test('durations and thresholds state their unit and their default', () => {
    const timed = fields().filter(([path]) => /\.spec\..*(Seconds|Ms|Threshold)$/.test(path));
    expect(timed.length).toBeGreaterThanOrEqual(12);
    for (const [path, schema] of timed) {
      const unit = path.endsWith('Seconds') ? /seconds/i : path.endsWith('Ms') ? /milliseconds/ : /in a row/;
      expect(`${path}: ${schema.description}`).toMatch(unit);
      expect(`${path}: ${schema.description}`).toMatch(/\(default[: ]/);
    }
  });

  test('a fresh object gets observedGeneration 0 from the status default, so kstatus reads it as InProgress', () => {
    for (const { content } of renderCrdFiles()) {
      const status = (parseYaml(content) as any).spec.versions[0].schema.openAPIV3Schema.properties.status;
      expect(status.default).toEqual({});
      expect(status.properties.observedGeneration.default).toBe(0);
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
