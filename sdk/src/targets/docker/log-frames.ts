import { StringDecoder } from 'node:string_decoder';
import { LineSplitter } from '../logs.ts';

/**
 * Docker multiplexes stdout and stderr of a container without a TTY into frames:
 * [stream, 0, 0, 0, size (4 bytes, big-endian)] then `size` bytes. Returns the text in order.
 */
export function demuxLogs(buffer: Buffer): string {
  const chunks: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset]!;
    const size = buffer.readUInt32BE(offset + 4);
    if (stream > 2 || buffer[offset + 1] !== 0 || buffer[offset + 2] !== 0 || buffer[offset + 3] !== 0) return buffer.toString('utf8');
    chunks.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  if (chunks.length === 0) return buffer.toString('utf8');
  return Buffer.concat(chunks).toString('utf8');
}

/** The last `count` non-empty lines of a log, for failure messages. */
export function lastLines(text: string, count: number): string[] {
  return text.split('\n').map((l) => l.trimEnd()).filter(Boolean).slice(-count);
}

/**
 * The streaming form of `demuxLogs`: bytes of a multiplexed log stream in (as they arrive), whole
 * lines out. A stream that is not multiplexed (a container with a TTY) is passed through as text.
 */
export class FrameDecoder {
  #pending: Buffer = Buffer.alloc(0);
  #raw: boolean | undefined;
  readonly #decoders = [new StringDecoder('utf8'), new StringDecoder('utf8'), new StringDecoder('utf8')];
  readonly #splitters = [new LineSplitter(), new LineSplitter(), new LineSplitter()];

  push(chunk: Buffer): string[] {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#raw ??= this.#pending.length >= 8 ? !isFrameHeader(this.#pending) : undefined;
    if (this.#raw === undefined) return [];
    if (this.#raw) {
      const text = this.#decoders[0]!.write(this.#pending);
      this.#pending = Buffer.alloc(0);
      return this.#splitters[0]!.push(text);
    }
    const lines: string[] = [];
    while (this.#pending.length >= 8 && isFrameHeader(this.#pending)) {
      const size = this.#pending.readUInt32BE(4);
      if (this.#pending.length < 8 + size) break;
      const stream = this.#pending[0]!;
      lines.push(...this.#splitters[stream]!.push(this.#decoders[stream]!.write(this.#pending.subarray(8, 8 + size))));
      this.#pending = this.#pending.subarray(8 + size);
    }
    return lines;
  }

  /** Lines left without a final newline when the stream ends. */
  flush(): string[] {
    const rest = this.#raw === undefined && this.#pending.length ? [this.#pending.toString('utf8')] : [];
    return [...rest.flatMap((t) => t.split('\n')).filter(Boolean), ...this.#splitters.flatMap((s, i) => s.push(this.#decoders[i]!.end()).concat(s.flush()))];
  }
}

function isFrameHeader(buffer: Buffer): boolean {
  return buffer[0]! <= 2 && buffer[1] === 0 && buffer[2] === 0 && buffer[3] === 0;
}
