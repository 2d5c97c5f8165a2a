// An http assertion's path stays below its own Service: the schema refuses what could climb out
// (zod here; the same rules as CEL are checked on the apiserver by the integration tests), and
// confinedUrl refuses it again at request time, whatever reached it.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { assertionPathProblem, resourceSpecSchema } from '../../sdk/src/api/index.ts';
import { confinedUrl, PathNotConfinedError } from '../../sdk/src/assertions/index.ts';

const PREFIX = '/api/v1/namespaces/team-a/services/web:8080/proxy';
const SERVER = 'https://127.0.0.1:6443';

const hostile = [
  '/../../../../../../../api/v1/namespaces/kube-system/secrets',
  '/..',
  '/a/../../b',
  '/./x',
  '/%2e%2e/%2e%2e/%2e%2e/api/v1/secrets',
  '/%2E%2E/x',
  '/.%2e/x',
  '/a%2f..%2f..%2fsecrets',
  '/a%5c..%5c..',
  '/%252e%252e/x',
  '/x#/../../secrets',
  '/x\\..\\..\\secrets',
  '/ space',
  '/%zz',
  '/%2',
  '/a%00b',
  '//evil.example.com/x',
  'relative',
  '/\u0000',
  '/é',
];
const fine = ['/', '/health', '/-/healthy', '/api/v1/targets', '/a.b/c..d/.e', '/search?q=a/../b', '/x?a=1&b=2', '/~user/%20file', "/it's;ok:@,"];

describe('assertion path rules', () => {
  test.each(hostile)('%j is refused with a reason', (path) => {
    expect(assertionPathProblem(path)).toBeDefined();
    const parsed = resourceSpecSchema.safeParse({ image: 'x', ports: [{ port: 8080 }], assertions: [{ http: { port: 8080, path } }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['assertions', 0, 'http', 'path']);
    expect(() => confinedUrl(SERVER, PREFIX, path)).toThrow(PathNotConfinedError);
  });

  test.each(fine)('%j is a path on the Service', (path) => {
    expect(assertionPathProblem(path)).toBeUndefined();
    const url = confinedUrl(SERVER, PREFIX, path);
    expect(url.origin).toBe(SERVER);
    expect(url.pathname.startsWith(`${PREFIX}/`)).toBe(true);
  });

  test('whatever string is accepted, the URL stays below the proxy prefix of its own Service', () => {
    const segment = fc.constantFrom('.', '..', '%2e', '%2E%2e', 'a', 'b.c', '%2f', '%5c', '?', '#', '\\', '%25', '%', '', 'x?y', ';', '@');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (parts) => {
        const path = `/${parts.join('/')}`;
        let url: URL;
        try {
          url = confinedUrl(SERVER, PREFIX, path);
        } catch (error) {
          expect(error).toBeInstanceOf(PathNotConfinedError);
          return;
        }
        expect(url.origin).toBe(SERVER);
        expect(url.pathname.startsWith(`${PREFIX}/`)).toBe(true);
        expect(url.hash).toBe('');
        expect(decodeURIComponent(url.pathname).split('/')).not.toContain('..');
      }),
      { numRuns: 2000 },
    );
  });

  test('a server behind a path prefix keeps it', () => {
    expect(confinedUrl('https://rancher.example.com/k8s/clusters/c-1', PREFIX, '/health').pathname).toBe(`/k8s/clusters/c-1${PREFIX}/health`);
  });
});
