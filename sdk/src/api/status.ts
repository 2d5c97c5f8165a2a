import { z } from 'zod';
import type { CompositeStatus, ResourceStatus } from './types.generated.ts';

/** The status schema's bounds: a status that exceeds one is refused whole by the apiserver. */
export const STATUS_LIMITS = { conditionMessage: 32768, assertionMessage: 4096, dependencies: 256, dependencyKey: 512 } as const;

/** A condition as the Kubernetes API conventions define it (metav1.Condition). */
export const conditionSchema = z
  .strictObject({
    type: z.string().min(1).max(316).describe('Ready, DependenciesReady, Available, AssertionsPassed, or Stalled (present only while True: waiting cannot help).'),
    status: z.enum(['True', 'False', 'Unknown']).describe('True, False or Unknown.'),
    reason: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
      .describe('One CamelCase word for why, such as WaitingForDependencies, CrashLoopBackOff, Stalled or AllPassed.'),
    message: z.string().max(STATUS_LIMITS.conditionMessage).describe('What blocks, in words; names the Resource at the root of a chain of waiting Resources.'),
    lastTransitionTime: z.string().meta({ format: 'date-time' }).describe('When status last changed (not reason or message).'),
    observedGeneration: z.number().int().min(0).optional().describe('The metadata.generation this condition was computed from.'),
  })
  .describe('A condition in the Kubernetes API conventions.');
export type Condition = NonNullable<ResourceStatus['conditions']>[number];

export const assertionStatusSchema = z
  .strictObject({
    name: z.string().max(63).describe("The assertion's name (its own, or derived from its kind and target)."),
    kind: z.string().max(32).describe('http, tcp, running or logContains.'),
    passed: z.boolean().describe('True while it passes; a passing assertion turns false after failureThreshold consecutive failures.'),
    message: z.string().max(STATUS_LIMITS.assertionMessage).describe('What the last check found (never the response body).'),
    lastCheckedTime: z.string().meta({ format: 'date-time' }).optional().describe('When it was last checked.'),
    lastTransitionTime: z.string().meta({ format: 'date-time' }).optional().describe('When passed last changed.'),
    durationMs: z.number().int().min(0).optional().describe('How long the last check took, in milliseconds.'),
    consecutiveFailures: z.number().int().min(0).optional().describe('Failed checks in a row; 0 after a pass.'),
  })
  .describe("The result of one of the Resource's assertions.");
export type AssertionStatus = NonNullable<ResourceStatus['assertions']>[number];

const conditions = z
  .array(conditionSchema)
  .max(16)
  .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] });

/**
 * The status an object has before the operator first writes it. The apiserver applies this
 * default whenever it reads the object, so a Resource or Composite nobody has reconciled yet
 * carries `observedGeneration: 0` ≠ `metadata.generation`: kstatus (Helm --wait, Flux, kapply)
 * reads it as InProgress, not as Current for want of conditions.
 */
const observedGeneration = z
  .number()
  .int()
  .min(0)
  .optional()
  .meta({ default: 0 })
  .describe('The metadata.generation the operator last reconciled; 0 until it has seen the object.');

export const resourceStatusSchema = z
  .strictObject({
    observedGeneration,
    conditions: conditions.optional().describe('Ready (the summary), DependenciesReady, Available, AssertionsPassed, and Stalled while waiting cannot help.'),
    assertions: z.array(assertionStatusSchema).max(32).optional().describe('One entry per assertion, in spec order.'),
    assertionsSummary: z.string().max(16).optional().describe('passed/total, for the ASSERTIONS column.'),
    dependencies: z.array(z.string().max(STATUS_LIMITS.dependencyKey)).max(STATUS_LIMITS.dependencies).optional().describe('The dependencies the operator resolved, as namespace/name (spec.dependsOn, the depends-on annotation, and those inherited from Composites).'),
    specHash: z.string().max(64).optional().describe('Hash of the spec the running workload was built from; a new hash replaces the workload.'),
    podName: z.string().max(253).optional().describe('The Pod running the workload.'),
    restarts: z.number().int().min(0).optional().describe('How many times the workload\'s process was restarted after it exited (run: always): the container\'s restart count.'),
    serviceName: z.string().max(253).optional().describe('The Service in front of the workload (when it has ports).'),
  })
  .meta({ default: {} })
  .describe('What the operator observed; written only by the operator.');

export const compositeStatusSchema = z
  .strictObject({
    observedGeneration,
    conditions: conditions.optional().describe('Ready when every Resource below the Composite is Ready; Stalled while one of them is.'),
    readySummary: z.string().max(32).optional().describe('ready/total Resources below the Composite, for the READY column.'),
    readyCount: z.number().int().min(0).optional().describe('Resources below the Composite that are Ready.'),
    totalCount: z.number().int().min(0).optional().describe('Resources below the Composite, at any depth.'),
  })
  .meta({ default: {} })
  .describe('What the operator observed; written only by the operator.');
export type { CompositeStatus, ResourceStatus };

/** `text` cut to `max` characters, the cut marked. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 25)}… (${text.length - max + 25} more)`;
}

/**
 * A status cut to fit its schema: long messages truncated, the dependency list shortened. Anything
 * the user can make long (a bodyContains text, hundreds of inherited dependencies) must not make
 * every status write fail.
 */
export function fitStatus<S extends ResourceStatus | CompositeStatus>(status: S): S {
  const out: ResourceStatus & CompositeStatus = { ...status };
  if (out.conditions) out.conditions = out.conditions.map((c) => (c.message.length > STATUS_LIMITS.conditionMessage ? { ...c, message: truncate(c.message, STATUS_LIMITS.conditionMessage) } : c));
  if (out.assertions) out.assertions = out.assertions.map((a) => (a.message.length > STATUS_LIMITS.assertionMessage ? { ...a, message: truncate(a.message, STATUS_LIMITS.assertionMessage) } : a));
  if (out.dependencies && out.dependencies.length > STATUS_LIMITS.dependencies) out.dependencies = out.dependencies.slice(0, STATUS_LIMITS.dependencies);
  return out as S;
}
