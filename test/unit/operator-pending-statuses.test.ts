import { describe, expect, test } from '@jest/globals';
import type { ResourceObject } from '../../sdk/src/api/index.ts';
import { PendingStatuses } from '../../operator/src/pending-statuses.ts';

const resource = (resourceVersion: string): ResourceObject => ({ apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', metadata: { name: 'db', namespace: 'shop', resourceVersion }, spec: { image: 'postgres' } }) as ResourceObject;
const ready = { conditions: [{ type: 'Ready', status: 'True' as const, reason: 'Ready', message: 'ready', lastTransitionTime: '2026-01-01T00:00:00Z' }] };

describe('a status being written, as the operator itself sees it', () => {
  test('shows over the very version it was computed from, until it is cleared', () => {
    const pending = new PendingStatuses();
    pending.set(resource('7'), ready);
    expect(pending.overlay(resource('7')).status).toEqual(ready);
    pending.clear(resource('7'));
    expect(pending.overlay(resource('7')).status).toBeUndefined();
  });

  test('never over a newer version: the write has landed, or someone else wrote (their write is what shows)', () => {
    const pending = new PendingStatuses();
    pending.set(resource('7'), ready);
    expect(pending.overlay(resource('8')).status).toBeUndefined();
    // and it is gone for good, even for the old version
    expect(pending.overlay(resource('7')).status).toBeUndefined();
  });
});
