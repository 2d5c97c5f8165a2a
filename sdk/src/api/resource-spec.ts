import { z } from 'zod';
import { dnsLabel, envName, portName, portNumber, portRef, quantity } from './names.ts';
import { overlapCel, pathsOverlap, volumeSchema } from './volumes.ts';
import { assertionSchema } from './assertion.ts';
import type { CompositeSpec, ResourceSpec } from './types.generated.ts';

/**
 * The zod schemas in this folder are the one source of truth: the SDK validates stacks with
 * them, and the CRDs in crds/ are generated from them, so the apiserver validates what the
 * operator reads (the operator does not parse objects again). Rules that span fields are
 * written twice on purpose, once as a zod refinement (for the SDK's messages) and once as CEL in
 * `x-kubernetes-validations` (for the apiserver).
 */

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

export const portSchema = z
  .strictObject({
    name: portName.optional().describe('A name for the port (an IANA service name such as "http"), usable instead of its number in readiness and assertions.'),
    port: portNumber.describe('The port number the container listens on (1-65535); also the Service port.'),
    hostPort: portNumber.optional().describe('Published on the host (127.0.0.1) by the Docker target; ignored on Kubernetes.'),
    protocol: z.enum(PROTOCOLS).optional().describe('TCP (default), UDP or SCTP.'),
  })
  .describe('A port the container listens on. The first port is the one dependents get as <NAME>_PORT.');

const keyRef = (what: string) =>
  z
    .strictObject({ name: z.string().min(1).max(253).describe(`The ${what}'s name, in the Resource's namespace.`), key: z.string().min(1).max(253).describe(`The key within the ${what}.`) })
    .describe(`A key of a ${what}.`);

export const envVarSchema = z
  .strictObject({
    name: envName.describe('The variable name. Names of injected variables (<DEPENDENCY>_HOST, <DEPENDENCY>_PORT) may be set here to override them.'),
    value: z.string().max(131072).optional().describe('A literal value (at most 128 KiB); or use valueFrom.'),
    valueFrom: z
      .strictObject({ secretKeyRef: keyRef('Secret').optional(), configMapKeyRef: keyRef('ConfigMap').optional() })
      .superRefine((v, ctx) => {
        if ((v.secretKeyRef === undefined) === (v.configMapKeyRef === undefined)) ctx.addIssue({ code: 'custom', message: 'exactly one of secretKeyRef or configMapKeyRef' });
      })
      .meta({
        'x-kubernetes-validations': [
          { rule: 'has(self.secretKeyRef) != has(self.configMapKeyRef)', message: 'exactly one of secretKeyRef or configMapKeyRef' },
        ],
      })
      .optional()
      .describe('The value from a key of a Secret or a ConfigMap: exactly one of secretKeyRef or configMapKeyRef.'),
  })
  .superRefine((e, ctx) => {
    if (e.value !== undefined && e.valueFrom !== undefined) ctx.addIssue({ code: 'custom', message: 'value and valueFrom are mutually exclusive' });
  })
  .meta({ 'x-kubernetes-validations': [{ rule: '!(has(self.value) && has(self.valueFrom))', message: 'value and valueFrom are mutually exclusive' }] })
  .describe('An environment variable of the container.');

export const fileSchema = z
  .strictObject({
    mountPath: z
      .string()
      .min(2)
      .max(1024)
      .regex(/^\/.*[^/]$/, { message: 'must be an absolute file path (starting with "/", not ending with "/")' })
      .describe('Where the file appears in the container: an absolute file path such as /etc/prometheus/prometheus.yml.'),
    content: z.string().max(262144).describe('The file content (text, at most 256 KiB). A change updates the file in place, without replacing the workload.'),
  })
  .describe('A file written into the container: a ConfigMap on Kubernetes, a copied file on Docker.');

const PROBE_KINDS = ['httpGet', 'tcpSocket', 'exec'] as const;
const exactlyOneCel = (keys: readonly string[], what: string) => ({
  rule: `[${keys.map((k) => `has(self.${k})`).join(', ')}].filter(x, x).size() == 1`,
  message: `exactly one of ${keys.join(', ')} must be set (${what})`,
});

export const readinessSchema = z
  .strictObject({
    httpGet: z
      .strictObject({
        path: z.string().max(2048).regex(/^\//, { message: 'must start with "/"' }).optional().describe('The path to GET, starting with "/" (default "/").'),
        port: portRef.describe('The port: a number, or the name of one of this Resource\'s ports.'),
      })
      .optional()
      .describe('Ready when an HTTP GET of the container answers 200-399.'),
    tcpSocket: z
      .strictObject({ port: portRef.describe('The port: a number, or the name of one of this Resource\'s ports.') })
      .optional()
      .describe('Ready when the port accepts a TCP connection.'),
    exec: z
      .strictObject({ command: z.array(z.string().max(4096)).min(1).max(64).describe('The command and its arguments, run without a shell (use ["sh", "-c", "..."] for one).') })
      .optional()
      .describe('Ready when a command run in the container exits 0.'),
    initialDelaySeconds: z.number().int().min(0).max(3600).optional().describe('Seconds after the start before the first check (default 0).'),
    periodSeconds: z.number().int().min(1).max(3600).optional().describe('Seconds between checks once Ready (default 10). On Docker, checks run every 100 ms until the first success.'),
    timeoutSeconds: z.number().int().min(1).max(3600).optional().describe('Seconds one check may take before it counts as failed (default 1).'),
    failureThreshold: z.number().int().min(1).max(1000).optional().describe('Failed checks in a row that turn a Ready workload not Ready (default 3).'),
    successThreshold: z.number().int().min(1).max(1000).optional().describe('Successful checks in a row that turn the workload Ready (default 1).'),
  })
  .superRefine((probe, ctx) => {
    const set = PROBE_KINDS.filter((k) => probe[k] !== undefined);
    if (set.length !== 1) {
      ctx.addIssue({ code: 'custom', message: `exactly one of httpGet, tcpSocket or exec must be set, found ${set.length ? set.join(', ') : 'none'}` });
    }
  })
  .meta({ 'x-kubernetes-validations': [exactlyOneCel(PROBE_KINDS, 'the probe kind')] })
  .describe('How to tell that the workload is ready, in the shape of a Kubernetes readiness probe: exactly one of httpGet, tcpSocket or exec. Without it, the workload is ready once it runs.');

const resourceList = (what: string) =>
  z
    .strictObject({
      cpu: quantity.optional().describe(`CPU ${what}, in cores (a Kubernetes quantity: 0.5 or 500m = half a core).`),
      memory: quantity.optional().describe(`Memory ${what}, in bytes (a Kubernetes quantity: 256Mi, 1Gi).`),
      'ephemeral-storage': quantity.optional().describe(`Local scratch disk ${what}, in bytes (a Kubernetes quantity: 1Gi). Kubernetes only.`),
    })
    .describe(what === 'requested' ? 'What the workload is guaranteed: the scheduler reserves it.' : 'What the workload may use at most: more memory is killed (OOMKilled), more CPU is throttled.');
export const resourcesSchema = z
  .strictObject({ requests: resourceList('requested').optional(), limits: resourceList('limit').optional() })
  .describe('Compute resources of the container, as on a Kubernetes container (the Docker target applies the limits).');

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

export const timeoutsSchema = z
  .strictObject({
    dependenciesSeconds: z.number().int().min(1).max(604800).optional().describe('Seconds to wait, from creation, for every dependency to be Ready before the Resource reports Stalled (default: no limit).'),
    readySeconds: z.number().int().min(1).max(604800).optional().describe('Seconds to wait, from the workload\'s creation, for it to become Ready before the Resource reports Stalled (default: no limit).'),
  })
  .describe('Waiting budgets. A Resource past one reports Stalled (a Stalled=True condition), which Helm --wait and Flux read as Failed; it keeps reconciling and recovers if what it waits for turns Ready.');

/** Signals a process may take as "read your files again" (no signal that cannot be caught). */
export const RELOAD_SIGNALS = ['SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGWINCH'] as const;

export const reloadSchema = z
  .strictObject({
    signal: z.enum(RELOAD_SIGNALS).optional().describe("Sent to the container's main process."),
    exec: z.array(z.string().max(4096)).min(1).max(64).optional().describe('Run in the container.'),
  })
  .superRefine((reload, ctx) => {
    if ((reload.signal === undefined) === (reload.exec === undefined)) ctx.addIssue({ code: 'custom', message: 'exactly one of signal or exec must be set' });
  })
  .meta({ 'x-kubernetes-validations': [exactlyOneCel(['signal', 'exec'], 'how the process reloads')] })
  .describe(
    'How the process picks up changed files without a restart. After a change of files alone, `clockwork dev` updates the files in place and then sends this with the credentials of whoever runs it (Docker; pods/exec on Kubernetes); the operator never does.',
  );
export const RUN_MODES = ['always', 'once'] as const;
export type RunMode = (typeof RUN_MODES)[number];
/** Defaults the workload uses when the spec leaves them out. */
export const DEFAULT_BACKOFF_LIMIT = 3;
export const DEFAULT_VOLUME_SIZE = '1Gi';

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
  description: z.string().max(4096).optional().describe('What this Resource is for, in words. With no image, `clockwork complete` asks a model to fill in the rest from it.'),
  image: z
    .string({ error: (iss) => (iss.input === undefined ? 'is required (or give a description and let `clockwork complete` choose one)' : undefined) })
    .min(1)
    .max(512)
    .regex(/^\S+$/, { message: 'must not contain whitespace' })
    .describe('The container image, such as postgres:16.4 (pin a version; latest makes runs differ).'),
  command: z.array(z.string().max(4096)).max(64).optional().describe("Replaces the image's entrypoint (docker run --entrypoint); the image's when left out."),
  args: z.array(z.string().max(4096)).max(256).optional().describe("Arguments to the entrypoint; the image's command when left out."),
  ports: z.array(portSchema).max(32).optional().describe('The ports the container listens on; a Resource with ports gets a Service (Kubernetes) or an alias on the stack network (Docker).'),
  env: z
    .array(envVarSchema)
    .max(256)
    .optional()
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] })
    .describe('Environment variables. <DEPENDENCY>_HOST and <DEPENDENCY>_PORT are injected for each dependency; a variable set here wins.'),
  files: z
    .array(fileSchema)
    .max(32)
    .optional()
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['mountPath'] })
    .describe('Files written into the container, such as a configuration file.'),
  readiness: readinessSchema.optional(),
  resources: resourcesSchema.optional(),
  securityContext: securityContextSchema.optional(),
  dependsOn: z
    .array(dnsLabel)
    .max(128)
    .optional()
    .meta({ 'x-kubernetes-list-type': 'set' })
    .describe('Names of sibling Resources in the same Composite, or of standalone peers, that must be Ready before this workload is created. Dependencies across a Composite boundary go in the clockwork.dev/depends-on annotation.'),
  assertions: z.array(assertionSchema).max(16).optional().describe('Checks that the running workload works, run continuously; Ready needs them all to pass.'),
  timeouts: timeoutsSchema.optional(),
  reload: reloadSchema.optional(),
  volumes: z
    .array(volumeSchema)
    .max(16)
    .optional()
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] })
    .describe('Persistent data that outlives the workload: kept when it is replaced and when the Resource is deleted (unless retain: false); `clockwork destroy --volumes` removes it.'),
  run: z.enum(RUN_MODES).optional().describe('always (default): restarted whenever it exits; once: a task that runs to completion, Ready with reason Completed after exit 0.'),
  backoffLimit: z.number().int().min(0).max(10).optional().describe('Only with run: once — retries after a non-zero exit before the task is Failed (default 3).'),
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
    for (const i of uniqueBy(spec.volumes, (v) => v.name))
      ctx.addIssue({ code: 'custom', path: ['volumes', i, 'name'], message: `duplicate volume name "${spec.volumes![i]!.name}"` });
    (spec.volumes ?? []).forEach((v, i) => {
      const other = (spec.volumes ?? []).findIndex((w, j) => j < i && pathsOverlap(v.mountPath, w.mountPath));
      if (other >= 0) ctx.addIssue({ code: 'custom', path: ['volumes', i, 'mountPath'], message: `overlaps the mountPath of volume "${spec.volumes![other]!.name}" (${spec.volumes![other]!.mountPath})` });
      const file = (spec.files ?? []).find((f) => pathsOverlap(v.mountPath, f.mountPath));
      if (file) ctx.addIssue({ code: 'custom', path: ['volumes', i, 'mountPath'], message: `overlaps the files entry at ${file.mountPath}` });
    });
    if (spec.run === 'once' && spec.readiness) ctx.addIssue({ code: 'custom', path: ['readiness'], message: 'a task (run: once) has no readiness probe: it is Ready once it exits 0' });
    if (spec.backoffLimit !== undefined && spec.run !== 'once') ctx.addIssue({ code: 'custom', path: ['backoffLimit'], message: "backoffLimit applies only to run: 'once'" });
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
      {
        rule: `!has(self.volumes) || self.volumes.all(v, self.volumes.all(w, v.name == w.name || !${overlapCel('v.mountPath', 'w.mountPath')}))`,
        message: 'volume mountPaths must not overlap',
        fieldPath: '.volumes',
      },
      {
        rule: `!has(self.volumes) || !has(self.files) || self.volumes.all(v, self.files.all(f, !${overlapCel('v.mountPath', 'f.mountPath')}))`,
        message: 'a volume mountPath must not overlap a files mountPath',
        fieldPath: '.volumes',
      },
      { rule: "!has(self.run) || self.run != 'once' || !has(self.readiness)", message: 'a task (run: once) has no readiness probe: it is Ready once it exits 0', fieldPath: '.readiness' },
      { rule: "!has(self.backoffLimit) || (has(self.run) && self.run == 'once')", message: "backoffLimit applies only to run: 'once'", fieldPath: '.backoffLimit' },
      namedPortRule('self.readiness', 'httpGet', 'readiness.httpGet.port'),
      namedPortRule('self.readiness', 'tcpSocket', 'readiness.tcpSocket.port'),
      {
        rule: `!has(self.assertions) || self.assertions.all(a, ${['http', 'tcp'].map((k) => `(!has(a.${k}) || !has(a.${k}.port) || type(a.${k}.port) == int || ${PORT_NAMES_HAVE('a.' + k + '.port')})`).join(' && ')})`,
        message: "an assertion's port name must be the name of one of this resource's ports",
        fieldPath: '.assertions',
      },
    ],
  })
  .describe('The container to run, what it waits for, and how to tell that it works. The operator creates its Pod (and Service, ConfigMap) once every dependency is Ready.');

// The types are declared from the CRDs (types.generated.ts, `make crds`), so that editors show
// each field's description; api/generated-types-check.ts proves they are the schemas' types.
export type { ResourceSpec, CompositeSpec };
export type PortSpec = NonNullable<ResourceSpec['ports']>[number];
export type EnvVarSpec = NonNullable<ResourceSpec['env']>[number];
export type FileSpec = NonNullable<ResourceSpec['files']>[number];
export type ReadinessSpec = NonNullable<ResourceSpec['readiness']>;
export type ResourcesSpec = NonNullable<ResourceSpec['resources']>;
export type TimeoutsSpec = NonNullable<ResourceSpec['timeouts']>;
export type SecurityContextSpec = NonNullable<ResourceSpec['securityContext']>;
export type ReloadSpec = NonNullable<ResourceSpec['reload']>;
export type VolumeSpec = NonNullable<ResourceSpec['volumes']>[number];

export const compositeSpecSchema = z
  .strictObject({
    description: z.string().max(4096).optional().describe('What this Composite is for, in words (also context for AI completion of its Resources).'),
  })
  .describe('A Composite holds no workload of its own: its children point to it with the clockwork.dev/composite label.');
