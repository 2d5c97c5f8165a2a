#!/usr/bin/env node
// Writes crds/*.yaml from the zod schemas. `make crds` runs this; a test checks the result.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCrdFiles } from './render.ts';

const outDir = process.argv[2] ?? join(import.meta.dirname, '..', '..', '..', 'crds');
mkdirSync(outDir, { recursive: true });
for (const { file, content } of renderCrdFiles()) {
  writeFileSync(join(outDir, file), content);
  console.log(`wrote ${join(outDir, file)}`);
}
