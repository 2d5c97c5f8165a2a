import type { PortSpec } from '../api/index.ts';
import type { ResourceOptions } from '../stack/resource.ts';
import type { CompletableField } from './completion-schema.ts';
import { sha256, stableStringify } from './stable-json.ts';

/** Everything a completion depends on. Its hash keys the lock entry. */
export interface CompletionContext {
  name: string;
  description: string | undefined;
  /** The options the user wrote (own enumerable properties), the missing fields left out. */
  given: Omit<ResourceOptions, 'name' | 'description'>;
  /** The Composites above the Resource, nearest first. */
  composites: { name: string; description: string | undefined }[];
  /** What its dependencies expose (inherited from its composites included), sorted by name. */
  dependencies: DependencyContext[];
  missing: CompletableField[];
}

export interface DependencyContext {
  name: string;
  /** `external` for something outside the stack: only its name is known. */
  kind: 'Resource' | 'external';
  image?: string | undefined;
  ports?: PortSpec[] | undefined;
}

/** The lock-file key of a completion: changes when any of its inputs changes. */
export function contextHash(context: CompletionContext): string {
  return `sha256:${sha256(stableStringify(context))}`;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const SYSTEM = `You complete container specifications for Clockwork, a tool that runs application stacks on Kubernetes and Docker.
Answer with one JSON object that matches the given schema and contains exactly the requested fields.
Rules:
- Images are well-known public images with a pinned version tag, never "latest".
- Ports are the ports the image really listens on (with its command, if one is given).
- Readiness uses an endpoint or command the image really provides; prefer httpGet for HTTP servers, exec for databases with a client tool, tcpSocket otherwise.
- Env holds only what the container needs to start and reach its dependencies. Every dependency is reachable under its name as a host name, and the variables <NAME>_HOST and <NAME>_PORT (name uppercased, "-" as "_") are already injected, so do not repeat them. Never invent secrets other than obvious development defaults.
- Assertions check what the description promises (health endpoints, metrics, an open port).
- Keep everything consistent with the fields the user already set.`;

/** Values that need not leave the machine: env values and file contents are shown by name only. */
function summarizeGiven(given: CompletionContext['given']): Record<string, unknown> {
  const { env, files, labels: _labels, annotations: _annotations, ...rest } = given;
  return {
    ...rest,
    ...(env ? { env: `variables ${Object.keys(env).join(', ') || '(none)'}` } : {}),
    ...(files ? { files: files.map((f) => f.mountPath) } : {}),
  };
}

function describePorts(ports: PortSpec[] | undefined): string {
  if (!ports?.length) return 'no ports';
  return `port${ports.length === 1 ? '' : 's'} ${ports.map((p) => `${p.port}${p.protocol && p.protocol !== 'TCP' ? `/${p.protocol}` : ''}${p.name ? ` (${p.name})` : ''}`).join(', ')}`;
}

/** The conversation that asks for the missing fields of one Resource. */
export function completionMessages(context: CompletionContext): ChatMessage[] {
  const lines = [`Resource "${context.name}"`, `Description: ${context.description ?? '(none)'}`];
  for (const c of context.composites) lines.push(`Part of the composite "${c.name}"${c.description ? `: ${c.description}` : ''}`);
  const given = summarizeGiven(context.given);
  lines.push(Object.keys(given).length ? `Already set by the user (keep, do not repeat): ${JSON.stringify(given)}` : 'Nothing else is set by the user.');
  if (context.dependencies.length) {
    lines.push('It depends on:');
    for (const d of context.dependencies)
      lines.push(d.kind === 'external' ? `- ${d.name} (outside this stack)` : `- ${d.name}: image ${d.image ?? '(unknown)'}, ${describePorts(d.ports)}`);
  } else lines.push('It has no dependencies.');
  lines.push(`Fill in exactly these fields: ${context.missing.join(', ')}.`);
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: lines.join('\n') },
  ];
}

/** The follow-up after an invalid answer: the answer itself, then what is wrong with it. */
export function retryMessages(answer: string, problems: readonly string[]): ChatMessage[] {
  return [
    { role: 'assistant', content: answer },
    { role: 'user', content: `That answer is invalid:\n${problems.map((p) => `- ${p}`).join('\n')}\nAnswer again with the whole object, fixing these problems.` },
  ];
}
