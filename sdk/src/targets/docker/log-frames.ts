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
 * Lines read with `timestamps: true` (each prefixed with an RFC 3339 time), stdout and stderr
 * merged in the order they were written, without the timestamps.
 */
export function inTimeOrder(text: string): string {
  const stamped = text.split('\n').filter(Boolean).map((line, i) => {
    const space = line.indexOf(' ');
    const time = /^\d{4}-\d\d-\d\dT/.test(line) && space > 0 ? line.slice(0, space) : '';
    return { time, text: time ? line.slice(space + 1) : line, i };
  });
  stamped.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.i - b.i));
  return stamped.map((l) => l.text).join('\n');
}
