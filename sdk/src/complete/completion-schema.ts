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
 * and resourceSpecSchema).
 *
 * Choices are unions of single-kind objects ("an HTTP GET, a TCP connect or a command"), never
 * an object of nullable kinds with "exactly one is set" in prose: a model that fills every
 * field it is offered (as schema-driven decoders of local models tend to) still gives a valid
 * spec. Values carry what a schema can say portably (types, enums, patterns, number ranges,
 * minItems); ports are referred to by number, since a name must match one of the answer's own
 * ports. What no schema can say (unique names, lengths, the user's own fields) is checked by the
 * real schemas, whose messages are fed back to the model when an answer is invalid.
 */
/**
 * The field schemas in one of two shapes: `wire` (what the model answers: every property
 * required, "not set" as null, env as a list) or `stored` (the same values in the SDK's shape,
 * as the lock file keeps them: optional properties, env as a record). One definition, so a lock
 * entry can hold nothing a model's answer could not.
 */
function fieldSchemas(mode: 'wire' | 'stored') {
  const maybe = <T extends z.ZodType>(schema: T) => (mode === 'wire' ? schema.nullable() : schema.optional());
  const portNumber = z.number().int().min(1).max(65535);
  const portRef = portNumber.describe('The port number, one of the ports this container listens on.');
  /** An IANA service name (at most 15 characters, lowercase, starting with a letter). */
  const wirePortName = z.string().regex(/^[a-z]([-a-z0-9]{0,13}[a-z0-9])?$/);
  const path = z.string().regex(/^\//).describe('An HTTP path starting with "/", such as "/healthz".');
  const seconds = (min: number, what: string) => maybe(z.number().int().min(min).max(3600)).describe(`${what}, in seconds; null for the default.`);

  const wirePort = z.strictObject({
    name: maybe(wirePortName).describe('Short lowercase name such as "http" or "postgres"; null for none.'),
    port: portNumber.describe('The port the container listens on.'),
    protocol: maybe(z.enum(['TCP', 'UDP', 'SCTP'])).describe('null means TCP.'),
  });

  const probeTiming = {
    initialDelaySeconds: seconds(0, 'How long to wait after the start before the first check'),
    periodSeconds: seconds(1, 'How often to check'),
  };
  const wireReadiness = z
    .union([
      z.strictObject({ httpGet: z.strictObject({ path, port: portRef }).describe('Ready when GET path answers 2xx or 3xx.'), ...probeTiming }),
      z.strictObject({ tcpSocket: z.strictObject({ port: portRef }).describe('Ready when the port accepts a connection.'), ...probeTiming }),
      z.strictObject({
        exec: z.strictObject({ command: z.array(z.string()).min(1).describe('Run inside the container; exit 0 means ready.') }),
        ...probeTiming,
      }),
    ])
    .describe('How to tell that the container is ready: an HTTP GET (httpGet), a TCP connect (tcpSocket) or a command (exec).');

  const wireEnvVar = z.strictObject({
    name: z.string().regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/).describe('An environment variable name such as DATABASE_URL.'),
    value: z.string(),
  });

  const assertionName = maybe(z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)).describe('lowercase letters, digits and "-", unique within this container; null to derive one from the check.');
  const wireAssertion = z
    .union([
      z.strictObject({
        name: assertionName,
        http: z
          .strictObject({
            port: portRef,
            path,
            status: maybe(z.number().int().min(100).max(599)).describe('Expected status code; null means any 2xx.'),
            bodyContains: maybe(z.string()).describe('Text the response body must contain; null for no check.'),
          })
          .describe('An HTTP GET of this container.'),
      }),
      z.strictObject({ name: assertionName, tcp: z.strictObject({ port: portRef }).describe('A TCP connect to this container.') }),
      z.strictObject({ name: assertionName, running: z.strictObject({}).describe('The container is running.') }),
      z.strictObject({ name: assertionName, logContains: z.strictObject({ text: z.string().regex(/\S/).describe('Text that appears in the log.') }).describe("A line of the container's log.") }),
    ])
    .describe('A check that the running container works: an HTTP GET (http), a TCP connect (tcp), running, or a log line (logContains).');

  const wireFields = {
    image: z.string().describe('A container image with a pinned version tag (never "latest"), for example "postgres:16.4".'),
    ports: z.array(wirePort).describe('The ports the container listens on.'),
    readiness: wireReadiness,
    env: (mode === 'wire' ? z.array(wireEnvVar) : z.record(wireEnvVar.shape.name, wireEnvVar.shape.value)).describe('Environment variables the container needs; may be empty.'),
    assertions: z.array(wireAssertion).describe('One to three checks that the container works once it is ready.'),
  } satisfies Record<CompletableField, z.ZodType>;
  return wireFields;
}

const wireFieldSchemas = fieldSchemas('wire');
const storedFieldSchemas = fieldSchemas('stored');

/** The structured-output schema for exactly `fields`, all required. */
export function completionSchema(fields: readonly CompletableField[]): z.ZodObject {
  return z.object(Object.fromEntries(fields.map((f) => [f, wireFieldSchemas[f]])));
}

/**
 * What a lock file may hold for a Resource: completable fields only, each in the narrow shape a
 * model's answer has (no secretKeyRef, no url checks, no regexes), in the SDK's shape.
 */
export const storedFieldsSchema: z.ZodType<Partial<CompletedFields>> = z.strictObject(storedFieldSchemas).partial() as z.ZodType as z.ZodType<Partial<CompletedFields>>;

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
