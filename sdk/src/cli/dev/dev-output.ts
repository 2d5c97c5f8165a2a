import { createLogUpdate } from 'log-update';
import type { CompiledStack } from '../../stack/compile.ts';
import type { LogLine } from '../../targets/logs.ts';
import type { StackReport } from '../../targets/target.ts';
import { logFormatter, wantsColour } from '../log-format.ts';
import type { Output } from '../output.ts';
import { renderStatus } from '../render-report.ts';

/** Where `clockwork dev` shows what happens. */
export interface DevOutput {
  /** Clockwork's own line: a transition, what a save changed, a summary. */
  note(text: string): void;
  /** A line a container printed. */
  log(line: LogLine): void;
  /** The stack's latest state (the live tree). */
  state(report: StackReport, stack: CompiledStack): void;
  /** The Resources whose lines may come (for aligned prefixes). */
  resources(names: readonly string[]): void;
  close(): void;
}

/** Not a terminal (CI, a pipe): one plain line per event, nothing redrawn. */
export function plainDevOutput(io: Output): DevOutput {
  let format = logFormatter({ resources: [], colour: false, timestamps: false });
  return {
    note: (text) => io.out(`${text}\n`),
    log: (line) => io.out(`${format(line)}\n`),
    state: () => undefined,
    resources: (names) => (format = logFormatter({ resources: names, colour: false, timestamps: false })),
    close: () => undefined,
  };
}

const KEPT_LINES = 1_000;
const FRAME_MS = 50;

/**
 * A terminal: the live tree of `apply` at the top, and under it the latest lines (transitions
 * and the containers' output) that fit the screen, redrawn at most every 50 ms.
 */
export function liveDevOutput(stream: NodeJS.WriteStream): DevOutput {
  const live = createLogUpdate(stream);
  const colour = wantsColour(true);
  let names: readonly string[] = [];
  let tree = 'Applying…\n';
  const kept: ({ note: string } | { log: LogLine })[] = [];
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    timer = undefined;
    const columns = Math.max(20, stream.columns ?? 80);
    const rows = Math.max(5, stream.rows ?? 24);
    const format = logFormatter({ resources: names, colour, timestamps: false, maxWidth: columns - 1 });
    const top = tree.trimEnd().split('\n').map((l) => cut(l, columns - 1));
    const room = Math.max(1, rows - top.length - 2);
    const bottom = kept.slice(-room).map((entry) => ('note' in entry ? cut(entry.note, columns - 1) : format(entry.log)));
    live([...top, '─'.repeat(Math.min(columns - 1, 60)), ...bottom].join('\n'));
  };
  const schedule = () => (timer ??= setTimeout(draw, FRAME_MS));
  const keep = (entry: { note: string } | { log: LogLine }) => {
    kept.push(entry);
    if (kept.length > KEPT_LINES) kept.splice(0, kept.length - KEPT_LINES);
    schedule();
  };
  return {
    note: (text) => {
      for (const line of text.replace(/\n+$/, '').split('\n')) keep({ note: line });
    },
    log: (line) => keep({ log: line }),
    state: (report, stack) => {
      tree = renderStatus(report, stack);
      schedule();
    },
    resources: (list) => {
      names = list;
      schedule();
    },
    close: () => {
      clearTimeout(timer);
      draw();
      live.done();
    },
  };
}

/** A line cut to `width` characters (the tree and notes are plain text). */
function cut(line: string, width: number): string {
  return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
}
