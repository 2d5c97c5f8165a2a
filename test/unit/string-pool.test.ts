import { describe, expect, test } from '@jest/globals';
import { StringPool } from '../../sdk/src/kubernetes/intern.ts';

describe('one copy of each short string across cached objects', () => {
  test('equal string values of two parsed objects become one string; the objects read the same', () => {
    const pool = new StringPool();
    const text = JSON.stringify({ metadata: { namespace: 'bench-memory-namespace' }, status: { conditions: [{ message: 'dependencies Ready, workload available' }] } });
    const a = pool.intern(JSON.parse(text));
    const b = pool.intern(JSON.parse(text));
    expect(a).toEqual(JSON.parse(text));
    expect(b).toEqual(a);
    // The pool hands out the first copy; a long string is left as it is.
    const long = 'x'.repeat(300);
    expect(pool.intern({ s: long }).s).toBe(long);
  });

  test('full, it starts over instead of growing', () => {
    const pool = new StringPool({ maxEntries: 2 });
    const values = pool.intern(['aaaaaaaaaaaa', 'bbbbbbbbbbbb', 'cccccccccccc', 'aaaaaaaaaaaa']);
    expect(values).toEqual(['aaaaaaaaaaaa', 'bbbbbbbbbbbb', 'cccccccccccc', 'aaaaaaaaaaaa']);
  });
});
