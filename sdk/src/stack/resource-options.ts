import { z } from 'zod';
import { dnsLabel, resourceSpecSchema, resourceSpecShape, type EnvVarSpec, type ResourceSpec } from '../api/index.ts';
import type { EnvValue, ResourceOptions } from './resource.ts';
import type { CompositeOptions } from './composite.ts';
import { describeZodIssues, fieldNamesAt } from './zod-issues.ts';

const keyRef = z.strictObject({ name: z.string().min(1).max(253), key: z.string().min(1).max(253) });
const envValue = z.union([z.string(), z.strictObject({ secretKeyRef: keyRef }), z.strictObject({ configMapKeyRef: keyRef })]);

const labelMap = z.record(
  z.string().max(316).regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, { message: 'must be a qualified name' }),
  z.string().max(63),
);
const annotationMap = z.record(z.string().max(316), z.string().max(262144));

/** What `new Resource({...})` accepts: the spec fields in their SDK shape plus metadata. */
export const resourceOptionsSchema = z.strictObject({
  ...resourceSpecShape,
  name: dnsLabel,
  image: resourceSpecShape.image.optional(),
  env: z.record(z.string(), envValue).optional(),
  dependsOn: z.never({ error: 'use connect() to declare dependencies' }).optional(),
  labels: labelMap.optional(),
  annotations: annotationMap.optional(),
});

export const compositeOptionsSchema = z.strictObject({
  name: dnsLabel,
  description: z.string().max(4096).optional(),
  labels: labelMap.optional(),
  annotations: annotationMap.optional(),
});

function envToSpec(env: Record<string, EnvValue>): EnvVarSpec[] {
  return Object.entries(env).map(([name, value]) =>
    typeof value === 'string' ? { name, value } : { name, valueFrom: value },
  );
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Validates a Resource's options and converts them to `Resource.spec`. */
export function resourceSpecFromOptions(options: ResourceOptions, dependsOn: readonly string[]): { spec?: ResourceSpec; problems: FieldProblem[] } {
  const parsed = resourceOptionsSchema.safeParse(options);
  if (!parsed.success) return { problems: describeZodIssues(parsed.error.issues, (p) => fieldNamesAt(resourceOptionsSchema, p)) };
  const { name: _name, labels: _labels, annotations: _annotations, env, ...rest } = parsed.data;
  const candidate = { ...rest, ...(env ? { env: envToSpec(env) } : {}), ...(dependsOn.length ? { dependsOn: [...dependsOn] } : {}) };
  const spec = resourceSpecSchema.safeParse(candidate);
  if (!spec.success) {
    // Map CR-shaped env paths (`env[2].name`) back to the SDK's map keys (`env.NAME`).
    const envNames = env ? Object.keys(env) : [];
    const problems = describeZodIssues(spec.error.issues, (p) => fieldNamesAt(resourceSpecSchema, p)).map((p) => ({
      ...p,
      field: p.field.replace(/^env\[(\d+)\](\.name|\.valueFrom)?/, (_m, i: string) => `env.${envNames[Number(i)] ?? i}`),
    }));
    return { problems };
  }
  return { spec: spec.data, problems: [] };
}

export function validateCompositeOptions(options: CompositeOptions): FieldProblem[] {
  const parsed = compositeOptionsSchema.safeParse(options);
  return parsed.success ? [] : describeZodIssues(parsed.error.issues, (p) => fieldNamesAt(compositeOptionsSchema, p));
}
