// Compile-time only: the SDK's documented types (types.generated.ts, declared by `make crds` from
// the CRDs so that editors show the CRDs' descriptions) are exactly the zod schemas' types. A
// schema change without `make crds` fails the type check here.
import type { z } from 'zod';
import type { resourceSpecSchema, compositeSpecSchema } from './resource-spec.ts';
import type { compositeStatusSchema, resourceStatusSchema } from './status.ts';
import type { CompositeSpec, CompositeStatus, ResourceSpec, ResourceStatus } from './types.generated.ts';

/** Each assignable to the other, at every depth. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;

export type GeneratedTypesMatchSchemas = [
  Holds<Same<ResourceSpec, z.output<typeof resourceSpecSchema>>>,
  Holds<Same<CompositeSpec, z.output<typeof compositeSpecSchema>>>,
  Holds<Same<ResourceStatus, z.output<typeof resourceStatusSchema>>>,
  Holds<Same<CompositeStatus, z.output<typeof compositeStatusSchema>>>,
];
