/**
 * The URL of a module beside `from` (an `import.meta.url`), named without its extension: `.ts`
 * when running from the sources, `.js` from the precompiled dist/. Imports are rewritten when
 * compiled; a URL (a Worker's script, a module a hook points at) is not, so it asks here.
 */
export function siblingModule(path: string, from: string): URL {
  return new URL(`${path}${from.endsWith('.ts') ? '.ts' : '.js'}`, from);
}
