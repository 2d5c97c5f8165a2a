import { z } from 'zod';

/** A condition as the Kubernetes API conventions define it (metav1.Condition). */
export const conditionSchema = z.strictObject({
  type: z.string().min(1).max(316),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().min(1).max(1024).regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/),
  message: z.string().max(32768),
  lastTransitionTime: z.string().meta({ format: 'date-time' }),
  observedGeneration: z.number().int().min(0).optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

export const assertionStatusSchema = z.strictObject({
  name: z.string().max(63),
  kind: z.string().max(32),
  passed: z.boolean(),
  message: z.string().max(4096),
  lastCheckedTime: z.string().meta({ format: 'date-time' }).optional(),
  lastTransitionTime: z.string().meta({ format: 'date-time' }).optional(),
  durationMs: z.number().int().min(0).optional(),
  consecutiveFailures: z.number().int().min(0).optional(),
});
export type AssertionStatus = z.infer<typeof assertionStatusSchema>;

const conditions = z.array(conditionSchema).max(16).meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] });

export const resourceStatusSchema = z.strictObject({
  observedGeneration: z.number().int().min(0).optional(),
  conditions: conditions.optional(),
  assertions: z.array(assertionStatusSchema).max(32).optional(),
  /** `passed/total`, for the ASSERTIONS printer column. */
  assertionsSummary: z.string().max(16).optional(),
  /** The dependencies the operator resolved, as `namespace/name`. */
  dependencies: z.array(z.string().max(512)).max(256).optional(),
  /** Hash of the spec the current children were built from. */
  specHash: z.string().max(64).optional(),
  podName: z.string().max(253).optional(),
  serviceName: z.string().max(253).optional(),
});
export type ResourceStatus = z.infer<typeof resourceStatusSchema>;

export const compositeStatusSchema = z.strictObject({
  observedGeneration: z.number().int().min(0).optional(),
  conditions: conditions.optional(),
  /** `ready/total` descendants, for the READY printer column. */
  readySummary: z.string().max(32).optional(),
  readyCount: z.number().int().min(0).optional(),
  totalCount: z.number().int().min(0).optional(),
});
export type CompositeStatus = z.infer<typeof compositeStatusSchema>;
