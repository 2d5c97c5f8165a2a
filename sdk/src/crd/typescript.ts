import type { JsonSchema } from './structural.ts';

/**
 * TypeScript declarations for a structural schema, each field with its description as JSDoc:
 * the SDK's types are declared from the same schema as the CRDs, so what an editor shows on
 * hover is what `kubectl explain` prints. Only what structural schemas contain is handled
 * (objects, arrays, maps, scalars, enums, int-or-string).
 * @throws Error on a node it cannot declare, naming its path.
 */
export function typeDeclaration(name: string, schema: JsonSchema): string {
  return `${jsDoc(schema.description, '')}export interface ${name} ${objectType(schema, '', name)}\n`;
}

const WIDTH = 100;

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A JSDoc block, wrapped at WIDTH columns; nothing when there is no description. */
function jsDoc(description: unknown, indent: string): string {
  if (typeof description !== 'string' || description === '') return '';
  const words = description.replace(/\*\//g, '*\\/').split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + 3 + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  if (lines.length === 1 && indent.length + 7 + lines[0]!.length <= WIDTH) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}\n`).join('')}${indent} */\n`;
}

function objectType(schema: JsonSchema, indent: string, at: string): string {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const inner = `${indent}  `;
  const fields = Object.entries(properties).map(([key, child]) => {
    const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
    return `${jsDoc(child.description, inner)}${inner}${name}${required.has(key) ? '' : '?'}: ${typeOf(child, inner, `${at}.${key}`)};\n`;
  });
  return fields.length ? `{\n${fields.join('')}${indent}}` : 'Record<string, never>';
}

function typeOf(schema: JsonSchema, indent: string, at: string): string {
  if (schema['x-kubernetes-int-or-string']) return 'number | string';
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => (typeof v === 'string' ? quote(v) : JSON.stringify(v))).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const item = typeOf(schema.items as JsonSchema, indent, `${at}[]`);
      return /[|&]/.test(item) && !item.startsWith('{') ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      if (schema.properties === undefined && typeof schema.additionalProperties === 'object')
        return `Record<string, ${typeOf(schema.additionalProperties as JsonSchema, indent, `${at}.*`)}>`;
      return objectType(schema, indent, at);
    default:
      throw new Error(`${at}: no TypeScript type for ${JSON.stringify(schema).slice(0, 120)}`);
  }
}
