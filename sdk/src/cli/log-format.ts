import type { LogLine } from '../targets/logs.ts';

/** Colours as compose picks them for services: distinct on dark and light terminals. */
const PALETTE = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

/** The same colour for a Resource every time (a hash of its name, not its position). */
export function colourOf(resource: string): number {
  let hash = 0x811c9dc5;
  for (const ch of resource) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

export interface LogFormatOptions {
  /** Every Resource that may print, so that prefixes line up. */
  resources: readonly string[];
  colour: boolean;
  timestamps: boolean;
  /** Cut each line to this many columns (a live view must not wrap). */
  maxWidth?: number;
}

/** `api-service | text`, the prefix coloured per Resource on a terminal; Clockwork's notes marked `──`. */
export function logFormatter(options: LogFormatOptions): (line: LogLine) => string {
  const width = Math.max(0, ...options.resources.map((r) => r.length));
  const paint = (code: number, text: string) => (options.colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  return (line) => {
    const prefix = paint(colourOf(line.resource), `${line.resource.padEnd(width)} |`);
    const time = options.timestamps && line.time ? `${line.time} ` : '';
    const plain = `${time}${line.kind === 'output' ? line.text : `── ${line.text}`}`;
    const room = options.maxWidth === undefined ? Infinity : Math.max(0, options.maxWidth - width - 3);
    const cut = plain.length > room ? `${plain.slice(0, Math.max(0, room - 1))}…` : plain;
    return `${prefix} ${line.kind === 'output' ? cut : paint(2, cut)}`;
  };
}

/** Whether to colour: a terminal, and NO_COLOR unset (https://no-color.org). */
export function wantsColour(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return isTTY && !env.NO_COLOR && env.TERM !== 'dumb';
}
