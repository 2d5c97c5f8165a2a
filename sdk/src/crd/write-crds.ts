#!/usr/bin/env node
// Writes the CRDs from the zod schemas, and the SDK's documented types from the CRDs (with the
// default output dirs). `make crds` runs this; a test checks the result.
// crds/ is for `kubectl apply -f crds/`; deploy/crds/ holds the same files because kustomize only
// loads files below the kustomization (`kubectl apply -k deploy/`), and the Helm chart's crds/
// because Helm only installs CRDs from its own chart.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMISSION_POLICY_COPIES, isHelmTemplates, renderAdmissionPolicyFile } from './admission-policy.ts';
import { CRD_COPIES, renderCrdFiles, renderSpecTypes, SPEC_TYPES_FILE } from './render.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const outDirs = process.argv[2] ? [process.argv[2]] : CRD_COPIES.map((dir) => join(root, dir));
for (const outDir of outDirs) {
  mkdirSync(outDir, { recursive: true });
  for (const { file, content } of renderCrdFiles()) {
    writeFileSync(join(outDir, file), content);
    console.log(`wrote ${join(outDir, file)}`);
  }
}
// The admission policy goes with the CRDs, but in the Helm chart among its templates (a chart's
// crds/ may hold CRDs only).
const policyDirs = process.argv[2] ? [process.argv[2]] : ADMISSION_POLICY_COPIES.map((dir) => join(root, dir));
for (const outDir of policyDirs) {
  const { file, content } = renderAdmissionPolicyFile({ helm: isHelmTemplates(outDir) });
  writeFileSync(join(outDir, file), content);
  console.log(`wrote ${join(outDir, file)}`);
}
if (!process.argv[2]) {
  writeFileSync(join(root, SPEC_TYPES_FILE), renderSpecTypes());
  console.log(`wrote ${join(root, SPEC_TYPES_FILE)}`);
}
