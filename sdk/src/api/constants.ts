/** Names that make up the public Kubernetes API of Clockwork. */
export const GROUP = 'clockwork.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export const KIND_RESOURCE = 'Resource';
export const KIND_COMPOSITE = 'Composite';
export const PLURAL_RESOURCE = 'clockworkresources';
export const PLURAL_COMPOSITE = 'clockworkcomposites';

/** Label on a child naming the Composite it belongs to. */
export const LABEL_COMPOSITE = `${GROUP}/composite`;
/** Label on objects the operator creates, naming the Resource they belong to. */
export const LABEL_RESOURCE = `${GROUP}/resource`;
/** Label on a claim or Docker volume naming the volume of its Resource (with LABEL_RESOURCE). */
export const LABEL_VOLUME = `${GROUP}/volume`;
/** Label marking everything Clockwork manages (informers select on it). */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'clockwork';

/** Comma-separated `[namespace/]name` or `composite:[namespace/]name` dependencies. */
export const ANNOTATION_DEPENDS_ON = `${GROUP}/depends-on`;
/** Hash of the spec a child was built from; a change replaces the child. */
export const ANNOTATION_SPEC_HASH = `${GROUP}/spec-hash`;
/** Hash of the files' content a Pod was last given; a change of it alone updates them in place. */
export const ANNOTATION_FILES_HASH = `${GROUP}/files-hash`;

export const CONDITION_READY = 'Ready';
export const CONDITION_DEPENDENCIES_READY = 'DependenciesReady';
export const CONDITION_AVAILABLE = 'Available';
export const CONDITION_ASSERTIONS_PASSED = 'AssertionsPassed';
/**
 * Abnormal-true (kstatus): present, with status True, only while waiting cannot help — a timeout
 * ran out, a cycle, a failed workload, a failed dependency. kstatus (Helm --wait, Flux, kapply)
 * reads it as Failed; absent, the Ready condition decides.
 */
export const CONDITION_STALLED = 'Stalled';

/** The name of a Resource's container in its Pod (the Pod itself is named after the Resource). */
export const WORKLOAD_CONTAINER_NAME = 'main';

/** The Lease the operator's leader holds and renews; `clockwork apply` checks it is fresh. */
export const OPERATOR_LEASE_NAME = 'clockwork-operator';
/** Field manager of an apply that names no stack (`deploy()` without a stack name and no script path); a named stack applies as `clockwork/<stack name>`. */
export const FIELD_MANAGER_CLI = 'clockwork';
