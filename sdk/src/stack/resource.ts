import type { AssertionSpec, FileSpec, PortSpec, ReadinessSpec, ResourcesSpec, SecurityContextSpec, TimeoutsSpec } from '../api/index.ts';
import { StackMember } from './stack-member.ts';

/** An env value: a literal, or a reference to a key of a Secret or ConfigMap. */
export type EnvValue = string | { secretKeyRef: { name: string; key: string } } | { configMapKeyRef: { name: string; key: string } };

export interface ResourceOptions {
  name: string;
  description?: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: PortSpec[];
  env?: Record<string, EnvValue>;
  files?: FileSpec[];
  readiness?: ReadinessSpec;
  resources?: ResourcesSpec;
  /** Who the container runs as (`runAsUser`, `runAsGroup`); the rest of the restricted default stays. */
  securityContext?: SecurityContextSpec;
  assertions?: AssertionSpec[];
  timeouts?: TimeoutsSpec;
  /** Copied onto the Resource object and its Pod (for example scrape annotations). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * One container of the stack. Its fields may be changed after creation (the
 * post-creation-overrides pattern); everything is validated when the stack is compiled.
 */
export class Resource extends StackMember {
  declare name: string;
  declare description?: string;
  declare image?: string;
  declare command?: string[];
  declare args?: string[];
  declare ports?: PortSpec[];
  declare env?: Record<string, EnvValue>;
  declare files?: FileSpec[];
  declare readiness?: ReadinessSpec;
  declare resources?: ResourcesSpec;
  declare securityContext?: SecurityContextSpec;
  declare assertions?: AssertionSpec[];
  declare timeouts?: TimeoutsSpec;
  declare labels?: Record<string, string>;
  declare annotations?: Record<string, string>;

  constructor(options: ResourceOptions) {
    super();
    this.assignOptions(options);
  }


  /** The options as the user wrote them (own enumerable properties). */
  toOptions(): ResourceOptions {
    return { ...this };
  }
}
