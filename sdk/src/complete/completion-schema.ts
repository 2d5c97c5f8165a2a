import { z } from 'zod';
import type { ResourceOptions } from '../stack/resource.ts';

/**
 * The fields a model may fill in. Everything else of a Resource is the user's alone.
 * Ordered as they appear in prompts, plans and the lock file.
 */
export const COMPLETABLE_FIELDS = ['image', 'ports', 'readiness', 'env', 'assertions'] as const;
export type CompletableField = (typeof COMPLETABLE_FIELDS)[number];

/** What a completion adds to a Resource: some of the completable fields, in the SDK's shape. */
export type CompletedFields = Pick<ResourceOptions, CompletableField>;

/*
 * The wire schema: what the model is asked to answer. Strict structured outputs want every
 * property required, so optional fields are nullable here and nulls are dropped before the
 * answer is validated again with the same schemas as hand-written specs (resourceOptionsSchema
 * and resourceSpecSchema). The wire schema is deliberately loose about values (ranges,
 * patterns, cross-field rules): those are checked by the real schemas, whose messages are fed
 * back to the model when an answer is invalid.
 */
const portNumber = z.number().int().min(1).max(65535);
const portRef = z.union([portNumber, z.string()]).describe('A port number, or the name of one of this container\'s ports.');

const wirePort = z.strictObject({
  name: z.string().nullable().describe('Short lowercase name such as "http" or "postgres"; null for none.'),
  port: portNumber.describe('The port the container listens on.'),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).nullable().describe('null means TCP.'),
});

const wireReadiness = z
  .strictObject({
    httpGet: z.strictObject({ path: z.string().describe('Starts with "/".'), port: portRef }).nullable(),
    tcpSocket: z.strictObject({ port: portRef }).nullable(),
    exec: z.strictObject({ command: z.array(z.string()).describe('Run inside the container; exit 0 means ready.') }).nullable(),
    initialDelaySeconds: z.number().int().min(0).max(3600).nullable(),
    periodSeconds: z.number().int().min(1).max(3600).nullable(),
  })
  .describe('How to tell that the container is ready. Exactly one of httpGet, tcpSocket or exec is set; the others are null.');

const wireEnvVar = z.strictObject({
  name: z.string().describe('An environment variable name such as DATABASE_URL.'),
  value: z.string(),
});

const wireAssertion = z
  .strictObject({
    name: z.string().nullable().describe('lowercase letters, digits and "-"; unique within this container.'),
    http: z
      .strictObject({
        port: portRef,
        path: z.string().describe('Starts with "/".'),
        status: z.number().int().min(100).max(599).nullable().describe('Expected status code; null means any 2xx.'),
        bodyContains: z.string().nullable(),
      })
      .nullable(),
    tcp: z.strictObject({ port: portRef }).nullable(),
    logContains: z.strictObject({ text: z.string() }).nullable(),
  })
  .describe('A check that the running container works. Exactly one of http, tcp or logContains is set; the others are null.');

const wireFields = {
  image: z.string().describe('A container image with a pinned version tag (never "latest"), for example "postgres:16.4".'),
  ports: z.array(wirePort).describe('The ports the container listens on.'),
  readiness: wireReadiness,
  env: z.array(wireEnvVar).describe('Environment variables the container needs; may be empty.'),
  assertions: z.array(wireAssertion).describe('One to three checks that the container works once it is ready.'),
} satisfies Record<CompletableField, z.ZodType>;

/** The structured-output schema for exactly `fields`, all required. */
export function completionSchema(fields: readonly CompletableField[]): z.ZodObject {
  return z.object(Object.fromEntries(fields.map((f) => [f, wireFields[f]])));
}

/** Drops nulls (the wire schema's "not set") so that the value has the SDK's optional shape. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === null ? [] : [[k, dropNulls(v)]])));
  return value;
}

/** Converts a wire answer (already parsed with `completionSchema(fields)`) to Resource options. */
export function fieldsFromAnswer(answer: Record<string, unknown>, fields: readonly CompletableField[]): CompletedFields {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = dropNulls(answer[field]);
    out[field] = field === 'env' ? Object.fromEntries((value as { name: string; value: string }[]).map((e) => [e.name, e.value])) : value;
  }
  return out as CompletedFields;
}
