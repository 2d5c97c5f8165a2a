// AI completion against models that follow the schema and nothing else: a stand-in endpoint that
// answers from the request's JSON schema alone, filling every optional field or none, taking each
// member of every union in turn. Every such answer must be a valid spec on the first request:
// the choices ("one probe kind", "one assertion kind") are in the schema, not in prose.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Composite, Resource, compileStack } from '../../sdk/src/index.ts';
import { completeStackFile } from '../../sdk/src/complete/index.ts';
import { startFakeModel, type ChatRequest, type FakeModelServer } from './fake-openai-server.ts';
import { schemaDrivenAnswer, widestUnion, type JsonSchemaNode } from './schema-driven-answer.ts';

let dir: string;
let server: FakeModelServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'clockwork-ai-weak-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const schemaOf = (request: ChatRequest) => request.response_format!.json_schema!.schema as JsonSchemaNode;

/** A Resource that leaves every completable field to the model, beside a dependency. */
function stack() {
  const db = new Resource({ name: 'postgres-db', image: 'postgres:16.4', ports: [{ name: 'postgres', port: 5432 }] });
  const api = new Resource({ name: 'api-service', description: 'REST API server that stores data in Postgres' });
  api.connect(db);
  return [new Composite({ name: 'webapp' }).add(db, api)];
}

async function completeWith(answer: (request: ChatRequest) => unknown) {
  server = await startFakeModel([(request) => answer(request) as object]);
  const items = stack();
  const { completions } = await completeStackFile(join(dir, 'main.ts'), items, { complete: true, env: server.env, refresh: true });
  return { requests: server.requests, api: compileStack(items, { completions }).resources.find((r) => r.name === 'api-service')! };
}

describe('a model that answers from the schema alone', () => {
  test('the schema offers readiness and assertions as unions of single-kind objects', async () => {
    const { requests } = await completeWith((r) => schemaDrivenAnswer(schemaOf(r), { fill: 'none' }));
    const schema = schemaOf(requests[0]!);
    const kinds = (node: JsonSchemaNode) => node.anyOf!.map((member) => Object.keys(member.properties!).filter((k) => !['name', 'initialDelaySeconds', 'periodSeconds'].includes(k)));
    expect(kinds(schema.properties!['readiness']!)).toEqual([['httpGet'], ['tcpSocket'], ['exec']]);
    expect(kinds(schema.properties!['assertions']!.items!)).toEqual([['http'], ['tcp'], ['running'], ['logContains']]);
    expect(widestUnion(schema)).toBe(4);
  });

  for (const fill of ['all', 'none'] as const) {
    test(`filling ${fill === 'all' ? 'every optional field' : 'no optional field'}: each member of each union is a valid spec on the first request`, async () => {
      const readinessKinds = new Set<string>();
      const assertionKinds = new Set<string>();
      for (let branch = 0; branch < 4; branch++) {
        const { requests, api } = await completeWith((r) => schemaDrivenAnswer(schemaOf(r), { fill, branch }));
        expect(requests).toHaveLength(1);
        expect(api.completed).toEqual(['image', 'ports', 'readiness', 'env', 'assertions']);
        const readiness = api.spec.readiness!;
        expect(['httpGet', 'tcpSocket', 'exec'].filter((k) => k in readiness)).toHaveLength(1);
        readinessKinds.add(Object.keys(readiness).find((k) => ['httpGet', 'tcpSocket', 'exec'].includes(k))!);
        for (const a of api.spec.assertions ?? []) assertionKinds.add(['http', 'tcp', 'running', 'logContains'].find((k) => k in a)!);
        if (fill === 'all') {
          expect(readiness.periodSeconds).toBe(2);
          expect(api.spec.ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP' }]);
          expect(api.spec.env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
          expect(api.spec.assertions).toHaveLength(1);
        } else {
          expect(readiness).not.toHaveProperty('periodSeconds');
          expect(api.spec.ports).toEqual([]);
          expect(api.spec.assertions).toEqual([]);
        }
        server!.requests.length = 0;
        await server!.close();
        server = undefined;
      }
      expect([...readinessKinds].sort()).toEqual(['exec', 'httpGet', 'tcpSocket']);
      expect([...assertionKinds].sort()).toEqual(fill === 'all' ? ['http', 'logContains', 'running', 'tcp'] : []);
    });
  }

  test('what a schema cannot say is still retried with its problems: duplicate port numbers', async () => {
    let n = 0;
    const { requests, api } = await completeWith((r) => {
      const answer = schemaDrivenAnswer(schemaOf(r), { fill: 'all' }) as { ports: { name: string | null; port: number }[] };
      if (n++ === 0) answer.ports = [answer.ports[0]!, { ...answer.ports[0]!, name: 'web2' }];
      return answer;
    });
    expect(requests).toHaveLength(2);
    expect(requests[1]!.messages.at(-1)!.content).toContain('ports[1].port: duplicate port 8080');
    expect(api.spec.ports).toHaveLength(1);
  });
});
