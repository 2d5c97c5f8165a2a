import { stringify } from 'yaml';

export type OutputFormat = 'yaml' | 'json';

/** YAML as a multi-document stream, JSON as a list (what `kubectl apply -f` takes either way). */
export function serializeObjects(objects: readonly object[], format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).map((doc) => `---\n${doc}`).join('');
}
