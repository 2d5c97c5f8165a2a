/**
 * A stand-in for a weak model behind a grammar-constrained decoder: it answers with a value
 * built from the request's JSON schema alone, never from the prompt. `fill: 'all'` gives every
 * nullable field a value and every array one item (what schema-driven generators do when they
 * fill everything they are offered); `fill: 'none'` gives every nullable field null and every
 * array its minimum number of items. `branch` picks the member of each union (modulo its size),
 * so a test can walk every choice the schema offers.
 *
 * Strings come from a small table keyed by property name; each must match the schema's pattern
 * (or the generator throws), so the answers are schema-valid by construction, as a constrained
 * decoder's would be.
 */
export type JsonSchemaNode = {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  description?: string;
};

export interface SchemaDrivenOptions {
  fill: 'all' | 'none';
  branch?: number;
}

const STRINGS: Record<string, string> = {
  image: 'nginx:1.27.3',
  name: 'web',
  path: '/healthz',
  text: 'started',
  value: 'info',
  bodyContains: 'ok',
  command: 'true',
  env: 'LOG_LEVEL',
};
const INTEGERS: Record<string, number> = { port: 8080, status: 200, initialDelaySeconds: 1, periodSeconds: 2 };

const isNull = (node: JsonSchemaNode) => node.type === 'null';

export function schemaDrivenAnswer(schema: JsonSchemaNode, options: SchemaDrivenOptions): unknown {
  return generate(schema, options, '', '');
}

function generate(node: JsonSchemaNode, options: SchemaDrivenOptions, key: string, at: string): unknown {
  if (node.anyOf) {
    const nonNull = node.anyOf.filter((n) => !isNull(n));
    const nullable = nonNull.length < node.anyOf.length;
    if (nullable && options.fill === 'none') return null;
    const chosen = nonNull[(options.branch ?? 0) % nonNull.length]!;
    return generate({ ...chosen, ...(node.description ? { description: node.description } : {}) }, options, key, at);
  }
  if (Array.isArray(node.type)) {
    // `type: ['string', 'null']`: the strict form of a nullable scalar.
    const nonNull = node.type.filter((t) => t !== 'null');
    if (nonNull.length < node.type.length && options.fill === 'none') return null;
    return generate({ ...node, type: nonNull[0]! }, options, key, at);
  }
  if (node.enum) return node.enum.find((v) => v !== null);
  switch (node.type) {
    case 'object':
      return Object.fromEntries(Object.entries(node.properties ?? {}).map(([k, child]) => [k, generate(child, options, k, `${at}.${k}`)]));
    case 'array': {
      const count = options.fill === 'all' ? Math.max(1, node.minItems ?? 0) : (node.minItems ?? 0);
      // Strings in a list take the list's sample (`command`).
      return Array.from({ length: count }, (_, i) => generate(node.items!, options, key, `${at}[${i}]`));
    }
    case 'string': {
      const value = key === 'name' && at.startsWith('.env') ? STRINGS.env! : STRINGS[key];
      if (value === undefined) throw new Error(`schema-driven answer: no sample string for ${at || '<root>'}`);
      if (node.pattern !== undefined && !new RegExp(node.pattern).test(value))
        throw new Error(`schema-driven answer: the sample ${JSON.stringify(value)} for ${at} does not match the schema's pattern ${node.pattern}`);
      return value;
    }
    case 'integer':
    case 'number': {
      const wanted = INTEGERS[key] ?? node.minimum ?? 0;
      return Math.min(Math.max(wanted, node.minimum ?? -Infinity), node.maximum ?? Infinity);
    }
    case 'boolean':
      return options.fill === 'all';
    default:
      throw new Error(`schema-driven answer: unsupported schema node at ${at || '<root>'}: ${JSON.stringify(node).slice(0, 200)}`);
  }
}

/** How many members the widest union of the schema has: walking branch 0..n-1 visits every member. */
export function widestUnion(node: JsonSchemaNode): number {
  const own = node.anyOf ? node.anyOf.filter((n) => !isNull(n)).length : 1;
  const children = [...Object.values(node.properties ?? {}), ...(node.items ? [node.items] : []), ...(node.anyOf ?? [])];
  return Math.max(own, ...children.map(widestUnion));
}
