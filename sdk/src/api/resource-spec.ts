import { z } from 'zod';
import { dnsLabel, envName, portName, portNumber, portRef, quantity } from './names.ts';
import { assertionSchema } from './assertion.ts';

/**
 * The zod schemas in this folder are the one source of truth: the SDK validates stacks with
 * them, the CRDs in crds/ are generated from them, and the operator parses objects with them.
 * Rules that span fields are written twice on purpose, once as a zod refinement (for the SDK's
 * messages) and once as CEL in `x-kubernetes-validations` (for the apiserver).
 */

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

export const portSchema = z
  .strictObject({
    name: portName.optional(),
    port: portNumber,
    hostPort: portNumber.optional().describe('Published on the host by the Docker target; ignored on Kubernetes.'),
    protocol: z.enum(PROTOCOLS).optional(),
  })
  .describe('A port the container listens on.');

const keyRef = z.strictObject({ name: z.string().min(1).max(253), key: z.string().min(1).max(253) });

export const envVarSchema = z
  .strictObject({
    name: envName,
    value: z.string().max(131072).optional(),
    valueFrom: z
      .strictObject({ secretKeyRef: keyRef.optional(), configMapKeyRef: keyRef.optional() })
      .superRefine((v, ctx) => {
        if ((v.secretKeyRef === undefined) === (v.configMapKeyRef === undefined)) ctx.addIssue({ code: 'custom', message: 'exactly one of secretKeyRef or configMapKeyRef' });
      })
      .meta({
        'x-kubernetes-validations': [
          { rule: 'has(self.secretKeyRef) != has(self.configMapKeyRef)', message: 'exactly one of secretKeyRef or configMapKeyRef' },
        ],
      })
      .optional(),
  })
  .superRefine((e, ctx) => {
    if (e.value !== undefined && e.valueFrom !== undefined) ctx.addIssue({ code: 'custom', message: 'value and valueFrom are mutually exclusive' });
  })
  .meta({ 'x-kubernetes-validations': [{ rule: '!(has(self.value) && has(self.valueFrom))', message: 'value and valueFrom are mutually exclusive' }] });

export const fileSchema = z.strictObject({
  mountPath: z
    .string()
    .min(2)
    .max(1024)
    .regex(/^\/.*[^/]$/, { message: 'must be an absolute file path (starting with "/", not ending with "/")' }),
  content: z.string().max(262144),
});

const PROBE_KINDS = ['httpGet', 'tcpSocket', 'exec'] as const;
const exactlyOneCel = (keys: readonly string[], what: string) => ({
  rule: `[${keys.map((k) => `has(self.${k})`).join(', ')}].filter(x, x).size() == 1`,
  message: `exactly one of ${keys.join(', ')} must be set (${what})`,
});

export const readinessSchema = z
  .strictObject({
    httpGet: z.strictObject({ path: z.string().max(2048).regex(/^\//, { message: 'must start with "/"' }).optional(), port: portRef }).optional(),
    tcpSocket: z.strictObject({ port: portRef }).optional(),
    exec: z.strictObject({ command: z.array(z.string().max(4096)).min(1).max(64) }).optional(),
    initialDelaySeconds: z.number().int().min(0).max(3600).optional(),
    periodSeconds: z.number().int().min(1).max(3600).optional(),
    timeoutSeconds: z.number().int().min(1).max(3600).optional(),
    failureThreshold: z.number().int().min(1).max(1000).optional(),
    successThreshold: z.number().int().min(1).max(1000).optional(),
  })
  .superRefine((probe, ctx) => {
    const set = PROBE_KINDS.filter((k) => probe[k] !== undefined);
    if (set.length !== 1) {
      ctx.addIssue({ code: 'custom', message: `exactly one of httpGet, tcpSocket or exec must be set, found ${set.length ? set.join(', ') : 'none'}` });
    }
  })
  .meta({ 'x-kubernetes-validations': [exactlyOneCel(PROBE_KINDS, 'the probe kind')] });

const resourceList = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional(), 'ephemeral-storage': quantity.optional() });
export const resourcesSchema = z.strictObject({ requests: resourceList.optional(), limits: resourceList.optional() });

const UID_MAX = 2147483647;

export const securityContextSchema = z
  .strictObject({
    runAsUser: z.number().int().min(0).max(UID_MAX).optional().describe('User ID the container runs as (docker run --user on Docker).'),
    runAsGroup: z.number().int().min(0).max(UID_MAX).optional().describe('Primary group ID; needs runAsUser.'),
  })
  .superRefine((context, ctx) => {
    if (context.runAsGroup !== undefined && context.runAsUser === undefined)
      ctx.addIssue({ code: 'custom', path: ['runAsGroup'], message: 'runAsGroup needs runAsUser (Docker cannot set a group alone)' });
  })
  .meta({ 'x-kubernetes-validations': [{ rule: '!has(self.runAsGroup) || has(self.runAsUser)', message: 'runAsGroup needs runAsUser (Docker cannot set a group alone)', fieldPath: '.runAsGroup' }] })
  .describe('Who the container runs as. Everything else of the restricted default (no privilege escalation, every capability dropped, RuntimeDefault seccomp) stays.');

export const timeoutsSchema = z.strictObject({
  dependenciesSeconds: z.number().int().min(1).max(604800).optional().describe('How long to wait for dependencies before reporting Stalled.'),
  readySeconds: z.number().int().min(1).max(604800).optional().describe('How long to wait for the workload to become Ready before reporting Stalled.'),
});

const PORT_NAMES_HAVE = (expr: string) => `(has(self.ports) && self.ports.exists(p, has(p.name) && p.name == ${expr}))`;

/** CEL: a probe's port, when given by name, names one of the Resource's ports. */
function namedPortRule(parent: string, probe: string, field: string) {
  const port = `${parent}.${probe}.port`;
  return {
    rule: `!has(${parent}) || !has(${parent}.${probe}) || type(${port}) == int || ${PORT_NAMES_HAVE(port)}`,
    message: `${field}: a port name must be the name of one of this resource's ports`,
    fieldPath: `.${parent.replace(/^self\./, '')}.${probe}.port`,
  };
}

function uniqueBy<T>(items: readonly T[] | undefined, key: (item: T) => unknown): number[] {
  const seen = new Map<unknown, number>();
  const dupes: number[] = [];
  (items ?? []).forEach((item, i) => {
    const k = key(item);
    if (k === undefined) return;
    if (seen.has(k)) dupes.push(i);
    else seen.set(k, i);
  });
  return dupes;
}

/** The fields of `Resource.spec`, shared by the CR schema and the SDK's options schema. */
export const resourceSpecShape = {
  description: z.string().max(4096).optional(),
  image: z.string({ error: (iss) => (iss.input === undefined ? 'is required (or give a description and let `clockwork complete` choose one)' : undefined) }).min(1).max(512).regex(/^\S+$/, { message: 'must not contain whitespace' }),
  command: z.array(z.string().max(4096)).max(64).optional(),
  args: z.array(z.string().max(4096)).max(256).optional(),
  ports: z.array(portSchema).max(32).optional(),
  env: z.array(envVarSchema).max(256).optional().meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }),
  files: z.array(fileSchema).max(32).optional().meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['mountPath'] }),
  readiness: readinessSchema.optional(),
  resources: resourcesSchema.optional(),
  securityContext: securityContextSchema.optional(),
  dependsOn: z.array(dnsLabel).max(128).optional().meta({ 'x-kubernetes-list-type': 'set' }).describe('Names of sibling Resources in the same Composite, or of standalone peers.'),
  assertions: z.array(assertionSchema).max(16).optional(),
  timeouts: timeoutsSchema.optional(),
};

export const resourceSpecSchema = z
  .strictObject(resourceSpecShape)
  .superRefine((spec, ctx) => {
    for (const i of uniqueBy(spec.ports, (p) => `${p.port}/${p.protocol ?? 'TCP'}`))
      ctx.addIssue({ code: 'custom', path: ['ports', i, 'port'], message: `duplicate port ${spec.ports![i]!.port}` });
    for (const i of uniqueBy(spec.ports, (p) => p.name))
      ctx.addIssue({ code: 'custom', path: ['ports', i, 'name'], message: `duplicate port name "${spec.ports![i]!.name}"` });
    for (const i of uniqueBy(spec.ports, (p) => p.hostPort))
      ctx.addIssue({ code: 'custom', path: ['ports', i, 'hostPort'], message: `duplicate hostPort ${spec.ports![i]!.hostPort}` });
    for (const i of uniqueBy(spec.env, (e) => e.name))
      ctx.addIssue({ code: 'custom', path: ['env', i, 'name'], message: `duplicate env variable "${spec.env![i]!.name}"` });
    for (const i of uniqueBy(spec.files, (f) => f.mountPath))
      ctx.addIssue({ code: 'custom', path: ['files', i, 'mountPath'], message: `duplicate mountPath "${spec.files![i]!.mountPath}"` });
    for (const i of uniqueBy(spec.dependsOn, (d) => d))
      ctx.addIssue({ code: 'custom', path: ['dependsOn', i], message: `duplicate dependency "${spec.dependsOn![i]}"` });
    for (const i of uniqueBy(spec.assertions, (a) => a.name))
      ctx.addIssue({ code: 'custom', path: ['assertions', i, 'name'], message: `duplicate assertion name "${spec.assertions![i]!.name}"` });
    const portNames = new Set((spec.ports ?? []).flatMap((p) => (p.name ? [p.name] : [])));
    const checkNamedPort = (port: number | string | undefined, path: (string | number)[]) => {
      if (typeof port === 'string' && !portNames.has(port))
        ctx.addIssue({ code: 'custom', path, message: `port "${port}" is not the name of any of this resource's ports` });
    };
    checkNamedPort(spec.readiness?.httpGet?.port, ['readiness', 'httpGet', 'port']);
    checkNamedPort(spec.readiness?.tcpSocket?.port, ['readiness', 'tcpSocket', 'port']);
    spec.assertions?.forEach((a, i) => {
      checkNamedPort(a.http?.port, ['assertions', i, 'http', 'port']);
      checkNamedPort(a.tcp?.port, ['assertions', i, 'tcp', 'port']);
    });
  })
  .meta({
    'x-kubernetes-validations': [
      { rule: '!has(self.ports) || self.ports.all(p, self.ports.exists_one(q, q.port == p.port && (has(q.protocol) ? q.protocol : "TCP") == (has(p.protocol) ? p.protocol : "TCP")))', message: 'port numbers must be unique per protocol', fieldPath: '.ports' },
      { rule: '!has(self.ports) || self.ports.all(p, !has(p.name) || self.ports.exists_one(q, has(q.name) && q.name == p.name))', message: 'port names must be unique', fieldPath: '.ports' },
      { rule: '!has(self.ports) || self.ports.all(p, !has(p.hostPort) || self.ports.exists_one(q, has(q.hostPort) && q.hostPort == p.hostPort))', message: 'hostPorts must be unique', fieldPath: '.ports' },
      { rule: '!has(self.assertions) || self.assertions.all(a, !has(a.name) || self.assertions.exists_one(b, has(b.name) && b.name == a.name))', message: 'assertion names must be unique', fieldPath: '.assertions' },
      namedPortRule('self.readiness', 'httpGet', 'readiness.httpGet.port'),
      namedPortRule('self.readiness', 'tcpSocket', 'readiness.tcpSocket.port'),
      {
        rule: `!has(self.assertions) || self.assertions.all(a, ${['http', 'tcp'].map((k) => `(!has(a.${k}) || !has(a.${k}.port) || type(a.${k}.port) == int || ${PORT_NAMES_HAVE('a.' + k + '.port')})`).join(' && ')})`,
        message: "an assertion's port name must be the name of one of this resource's ports",
        fieldPath: '.assertions',
      },
    ],
  });

export type ResourceSpec = z.infer<typeof resourceSpecSchema>;
export type PortSpec = z.infer<typeof portSchema>;
export type EnvVarSpec = z.infer<typeof envVarSchema>;
export type FileSpec = z.infer<typeof fileSchema>;
export type ReadinessSpec = z.infer<typeof readinessSchema>;
export type ResourcesSpec = z.infer<typeof resourcesSchema>;
export type TimeoutsSpec = z.infer<typeof timeoutsSchema>;
export type SecurityContextSpec = z.infer<typeof securityContextSchema>;

export const compositeSpecSchema = z.strictObject({
  description: z.string().max(4096).optional(),
});
export type CompositeSpec = z.infer<typeof compositeSpecSchema>;
