// The one ownership rule of the operator's children (issue #18): a child is a Resource's to
// manage only when it carries Clockwork's controller ownerReference to that Resource's uid.
import { describe, expect, test } from '@jest/globals';
import { childConflict, isControlledBy } from '../../operator/src/child-ownership.ts';

const owner = { namespace: 'shop', name: 'web', uid: 'uid-1' };
const ref = (o: Partial<{ apiVersion: string; kind: string; name: string; uid: string; controller: boolean }>) => ({ apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', name: 'web', uid: 'uid-1', controller: true, ...o });
const child = (...ownerReferences: ReturnType<typeof ref>[]) => ({ metadata: { name: 'web', namespace: 'shop', uid: 'c-1', ownerReferences } });

describe('child ownership', () => {
  test('ours only with the controller reference to this very Resource', () => {
    expect(isControlledBy(child(ref({})), owner)).toBe(true);
    expect(isControlledBy(child(ref({ controller: false })), owner)).toBe(false);
    expect(isControlledBy(child(ref({ uid: 'uid-2' })), owner)).toBe(false);
    expect(isControlledBy(child(ref({ kind: 'Composite' })), owner)).toBe(false);
    expect(isControlledBy(child(ref({ apiVersion: 'evil.example.com/v1' })), owner)).toBe(false);
    expect(isControlledBy(child(), owner)).toBe(false);
    expect(isControlledBy(child(ref({})), { ...owner, uid: undefined })).toBe(false);
  });

  test('a conflict names the object and whose it is; an earlier Resource of the name is a wait, not a conflict for good', () => {
    expect(childConflict('Service', child(ref({})), owner)).toBeUndefined();
    expect(childConflict('Service', child(), owner)).toMatchObject({ transient: false, message: "Service shop/web exists and is not this Resource's (it has no controller); Clockwork leaves it unchanged: delete or rename it, or rename the Resource" });
    expect(childConflict('Pod', child(ref({ kind: 'ReplicaSet', name: 'web-7d9', apiVersion: 'apps/v1', uid: 'rs' })), owner)!.holder).toBe('it is controlled by ReplicaSet web-7d9');
    expect(childConflict('Pod', child(ref({ uid: 'uid-0' })), owner)).toMatchObject({ transient: true, message: 'Pod shop/web still belongs to an earlier Resource of this name; waiting for it to be deleted' });
  });

  test('the one exception is the caller\'s to state (a retained claim taken up by its labels)', () => {
    const claim = { metadata: { name: 'web-data', labels: { 'clockwork.dev/resource': 'web' } } };
    expect(childConflict('PersistentVolumeClaim', claim, owner)).toBeDefined();
    expect(childConflict('PersistentVolumeClaim', claim, owner, { adoptable: (c) => (c.metadata as { labels?: Record<string, string> }).labels?.['clockwork.dev/resource'] === 'web' })).toBeUndefined();
  });
});
