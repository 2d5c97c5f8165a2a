// Bundles the dashboard page (sdk/src/dashboard-ui: Preact, dagre) into build/dashboard/ with
// esbuild: index.html, app.js, app.css. Everything the page needs is in these three files.
// Run by `make dashboard` (a prerequisite of `make test` and `make demo`).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = `${root}sdk/src/dashboard-ui`;
const out = `${root}build/dashboard`;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [`${source}/main.tsx`],
  outfile: `${out}/app.js`,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  // The licences of the bundled libraries (Preact, dagre, graphlib) stay with the code.
  legalComments: 'eof',
  logLevel: 'warning',
});
copyFileSync(`${source}/index.html`, `${out}/index.html`);

const sizes = ['index.html', 'app.js', 'app.css'].map((file) => {
  const body = readFileSync(`${out}/${file}`);
  return { file, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
});
const total = sizes.reduce((t, s) => ({ bytes: t.bytes + s.bytes, gzipBytes: t.gzipBytes + s.gzipBytes }), { bytes: 0, gzipBytes: 0 });
writeFileSync(`${out}/sizes.json`, `${JSON.stringify({ files: sizes, total }, null, 2)}\n`);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`dashboard bundle in build/dashboard: ${sizes.map((s) => `${s.file} ${kb(s.bytes)}`).join(', ')}; total ${kb(total.bytes)} (${kb(total.gzipBytes)} gzipped)`);
