import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATOR_NODE_FLAGS } from '../../operator/src/main/node-flags.ts';

const root = join(import.meta.dirname, '..', '..');

describe('the operator runs the same way wherever it is started', () => {
  test('the image (Dockerfile and the registry-free build) starts its precompiled entry with the V8 flags the bench and the tests use', () => {
    const entrypoint = (text: string) => JSON.parse(/ENTRYPOINT (\["node"[^\]]*\])/.exec(text)![1]!) as string[];
    expect(entrypoint(readFileSync(join(root, 'Dockerfile'), 'utf8'))).toEqual(['node', ...OPERATOR_NODE_FLAGS, 'dist/operator/src/main.js']);
    expect(entrypoint(readFileSync(join(root, 'test/images/build-example-images.sh'), 'utf8').replaceAll("'", ''))).toEqual(['node', ...OPERATOR_NODE_FLAGS, '/app/dist/operator/src/main.js']);
  });
});
