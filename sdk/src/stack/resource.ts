import type { AssertionSpec, FileSpec, PortSpec, ReadinessSpec, ResourcesSpec, TimeoutsSpec } from '../api/index.ts';
import { addDependencies, dependenciesOf, parentsOf, type Dependency } from './membership.ts';
import type { Composite } from './composite.ts';

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
export class Resource {
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
  declare assertions?: AssertionSpec[];
  declare timeouts?: TimeoutsSpec;
  declare labels?: Record<string, string>;
  declare annotations?: Record<string, string>;

  constructor(options: ResourceOptions) {
    // Every key the user wrote becomes an own property, known or not, so that validation sees
    // a misspelt `comand` instead of silently dropping it.
    Object.assign(this, options);
  }

  /** Declares that this Resource depends on each of `dependencies`. Chainable. */
  connect(...dependencies: Dependency[]): this {
    addDependencies(this, dependencies);
    return this;
  }

  get dependencies(): readonly Dependency[] {
    return dependenciesOf(this);
  }

  /** The Composite this Resource was added to, if any. */
  get composite(): Composite | undefined {
    return parentsOf(this)[0];
  }

  /** The options as the user wrote them (own enumerable properties). */
  toOptions(): ResourceOptions {
    return { ...this };
  }
}
