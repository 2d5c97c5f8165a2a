import { z } from 'zod';

export type JsonSchema = { [key: string]: unknown };

/** Keys a structural schema may not carry (the apiserver rejects or ignores them). */
const DROPPED_KEYS = new Set(['$schema', 'propertyNames', 'id', '$id']);

/**
 * A zod schema as a Kubernetes structural OpenAPI v3 schema: zod's OpenAPI 3.0 output (input
 * mode, so optional-with-default fields stay optional), then every node given a type, no `$ref`,
 * no `additionalProperties` beside `properties`, int-or-string where a port may be named.
 * @throws Error when the schema cannot be made structural (a union of different shapes).
 */
export function structuralSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', reused: 'inline', cycles: 'throw', unrepresentable: 'throw' }) as JsonSchema;
  return normalize(json, '');
}

function normalize(node: JsonSchema, at: string): JsonSchema {
  if (node.$ref !== undefined) throw new Error(`${at || '<root>'}: $ref is not allowed in a structural schema`);
  if (node['x-kubernetes-int-or-string']) {
    const out: JsonSchema = { 'x-kubernetes-int-or-string': true };
    for (const key of ['description', 'x-kubernetes-validations']) if (node[key] !== undefined) out[key] = node[key];
    return out;
  }
  if (node.anyOf !== undefined || node.oneOf !== undefined || node.allOf !== undefined)
    throw new Error(`${at || '<root>'}: unions cannot be expressed in a structural schema; use an object with optional members and a CEL rule`);
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYS.has(key)) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, normalize(v, `${at}.${k}`)]));
    } else if (key === 'items') {
      out.items = normalize(value as JsonSchema, `${at}[]`);
    } else if (key === 'additionalProperties') {
      if (typeof value === 'object' && node.properties === undefined) out.additionalProperties = normalize(value as JsonSchema, `${at}.*`);
    } else {
      out[key] = value;
    }
  }
  if (out.type === undefined) throw new Error(`${at || '<root>'}: every node of a structural schema needs a type`);
  if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
  return out;
}
