import type { AssertionSpec, FileSpec, PortSpec, ReadinessSpec, ReloadSpec, ResourceSpec, ResourcesSpec, RunMode, SecurityContextSpec, TimeoutsSpec, VolumeSpec } from '../api/index.ts';
import { StackMember } from './stack-member.ts';

/** An env value: a literal, or a reference to a key of a Secret or ConfigMap. */
export type EnvValue = string | { secretKeyRef: { name: string; key: string } } | { configMapKeyRef: { name: string; key: string } };

/**
 * What `new Resource({...})` takes: the fields of `Resource.spec`, documented as in the CRD
 * (`kubectl explain clockworkresources.spec`), with `env` as a map, and the object's metadata.
 * Dependencies are declared with `connect()`.
 */
export interface ResourceOptions extends Omit<ResourceSpec, 'image' | 'env' | 'dependsOn'>, Partial<Pick<ResourceSpec, 'image'>> {
  /** The Resource's name: a DNS-1123 label, unique in its namespace; also its Pod's, Service's and host name. */
  name: string;
  /**
   * Environment variables by name: a value, or `{ secretKeyRef: { name, key } }` /
   * `{ configMapKeyRef: { name, key } }`. `<DEPENDENCY>_HOST` and `<DEPENDENCY>_PORT` are injected
   * for each dependency; a variable set here wins.
   */
  env?: Record<string, EnvValue>;
  /** Copied onto the Resource object and its Pod (`clockwork.dev/*` keys are Clockwork's own). */
  labels?: Record<string, string>;
  /** Copied onto the Resource object and its Pod (for example scrape annotations). */
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
  declare reload?: ReloadSpec;
  declare volumes?: VolumeSpec[];
  declare run?: RunMode;
  declare backoffLimit?: number;
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
