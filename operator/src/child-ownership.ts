import { API_VERSION, KIND_RESOURCE } from '../../sdk/src/api/index.ts';

/** The kinds of object a Resource has as children. */
export type ChildKind = 'Pod' | 'Service' | 'ConfigMap' | 'PersistentVolumeClaim' | 'Job';

/** The part of a child the ownership rule reads. */
export interface ChildMeta {
  metadata?: {
    name?: string;
    namespace?: string;
    deletionTimestamp?: Date | string;
    ownerReferences?: { apiVersion?: string; kind?: string; name?: string; uid: string; controller?: boolean }[];
  };
}

/** The Resource a child would belong to. */
export interface ChildOwner {
  namespace: string;
  name: string;
  uid?: string | undefined;
}

/**
 * The ownership rule, in one place: the operator creates, replaces, patches or deletes a child
 * only when the child carries Clockwork's controller ownerReference to this very Resource (the
 * same uid). A same-named object of anyone else's is left exactly as it is. The one exception is
 * for callers to state: `adoptable` (a retained PersistentVolumeClaim of an earlier Resource of
 * the same name, recognised by its labels, is taken up again).
 */
export function isControlledBy(child: ChildMeta, owner: ChildOwner): boolean {
  if (!owner.uid) return false;
  return (child.metadata?.ownerReferences ?? []).some((r) => r.controller === true && r.uid === owner.uid && r.kind === KIND_RESOURCE && r.apiVersion === API_VERSION);
}

/** A same-named object that is not this Resource's: what the Resource reports (`ChildConflict`). */
export interface ChildConflict {
  kind: ChildKind;
  namespace: string;
  name: string;
  /** The object's uid when it was seen: the same object is still in the way while it matches. */
  uid: string | undefined;
  /** Whose it is, as far as its ownerReferences say. */
  holder: string;
  message: string;
  /**
   * It belongs to an earlier Resource of the same name (deleted: the garbage collector removes
   * it shortly), so waiting helps; anything else stays until someone removes or renames it.
   */
  transient: boolean;
}

/**
 * Whether `child` may be managed for `owner`, or the conflict it is. Undefined: it is this
 * Resource's (or `adoptable` says it may be taken up).
 */
export function childConflict(kind: ChildKind, child: ChildMeta & { metadata?: { uid?: string } }, owner: ChildOwner, o: { adoptable?: (child: ChildMeta) => boolean } = {}): ChildConflict | undefined {
  if (isControlledBy(child, owner) || o.adoptable?.(child)) return undefined;
  const controller = (child.metadata?.ownerReferences ?? []).find((r) => r.controller);
  const earlierResource = controller?.kind === KIND_RESOURCE && controller.apiVersion === API_VERSION && controller.name === owner.name;
  const holder = !controller
    ? 'it has no controller'
    : earlierResource
      ? `it belongs to an earlier Resource ${owner.name} (uid ${controller.uid}), which the garbage collector is removing`
      : `it is controlled by ${controller.kind ?? 'an object'} ${controller.name ?? ''}`.trimEnd();
  const name = child.metadata?.name ?? owner.name;
  const where = `${kind} ${owner.namespace}/${name}`;
  return {
    kind,
    namespace: owner.namespace,
    name,
    uid: child.metadata?.uid,
    holder,
    transient: earlierResource || Boolean(child.metadata?.deletionTimestamp),
    message: earlierResource
      ? `${where} still belongs to an earlier Resource of this name; waiting for it to be deleted`
      : `${where} exists and is not this Resource's (${holder}); Clockwork leaves it unchanged: delete or rename it, or rename the Resource`,
  };
}
