// A module beside the caller, found from the sources (.ts) and from the precompiled dist/ (.js).
import { describe, expect, test } from '@jest/globals';
import { siblingModule } from '../../sdk/src/api/sibling-module.ts';

describe('siblingModule', () => {
  test('keeps the extension of the module that asks', () => {
    expect(siblingModule('./regex-worker', 'file:///app/sdk/src/assertions/user-regex.ts').href).toBe('file:///app/sdk/src/assertions/regex-worker.ts');
    expect(siblingModule('./regex-worker', 'file:///app/dist/sdk/src/assertions/user-regex.js').href).toBe('file:///app/dist/sdk/src/assertions/regex-worker.js');
    expect(siblingModule('../index', 'file:///app/dist/sdk/src/stack/load.js').href).toBe('file:///app/dist/sdk/src/index.js');
  });
});
