import type { CompositeSpec, ResourceSpec } from './resource-spec.ts';
import type { CompositeStatus, ResourceStatus } from './status.ts';

/** The metadata Clockwork writes and reads; other fields pass through untouched. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ResourceObject {
  apiVersion: string;
  kind: 'Resource';
  metadata: ObjectMeta;
  spec: ResourceSpec;
  status?: ResourceStatus;
}

export interface CompositeObject {
  apiVersion: string;
  kind: 'Composite';
  metadata: ObjectMeta;
  spec: CompositeSpec;
  status?: CompositeStatus;
}

export type ClockworkObject = ResourceObject | CompositeObject;
