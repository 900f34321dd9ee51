/**
 * The input side of `myna-twin card apdu`: stdin split into lines with a length limit, so a hostile
 * or mistaken input (a 50 MB line) is neither buffered whole nor echoed back (DESIGN.md §9: every
 * input has a size limit that its error names). A line longer than {@link MAX_APDU_LINE_BYTES} is
 * reported by number, byte length and its first {@link LONG_LINE_HEAD_BYTES} bytes only; its bytes
 * are counted and dropped as they stream past.
 * @module
 */

/**
 * Longest input line, in bytes, without its line break: 64 KiB. The card takes short APDUs only
 * (sim/card apdu.ts), at most 261 bytes — 783 characters as spaced hex — so this leaves ample room
 * for comments and spacing and still bounds what one line can cost.
 */
export const MAX_APDU_LINE_BYTES = 65_536;

/** How many leading bytes of an over-long line its error shows. */
export const LONG_LINE_HEAD_BYTES = 16;

/** One input line, or the report of one that was too long. */
export type InputLine =
  | { readonly lineNo: number; readonly text: string }
  | { readonly lineNo: number; readonly tooLong: { readonly bytes: number; readonly head: string } };

/**
 * Lines of `input` (LF or CRLF), 1-based, as they arrive. Memory stays within about `maxBytes`
 * whatever the input.
 */
export async function* inputLines(
  input: AsyncIterable<Uint8Array | string>,
  maxBytes = MAX_APDU_LINE_BYTES,
): AsyncGenerator<InputLine> {
  let parts: Buffer[] = [];
  let length = 0; // bytes of the current line so far
  let head: Buffer | null = null; // set once the line is over the limit
  let lineNo = 0;

  const finish = (): InputLine => {
    lineNo++;
    let out: InputLine;
    if (head) {
      out = { lineNo, tooLong: { bytes: length, head: head.toString("utf8").replace(/\uFFFD+$/u, "") } };
    } else {
      let line = Buffer.concat(parts, length);
      if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
      out = { lineNo, text: line.toString("utf8") };
    }
    parts = [];
    length = 0;
    head = null;
    return out;
  };
  const add = (seg: Buffer): void => {
    if (head === null && length + seg.length > maxBytes) {
      head = Buffer.concat([...parts, seg.subarray(0, LONG_LINE_HEAD_BYTES)]).subarray(
        0,
        LONG_LINE_HEAD_BYTES,
      );
      parts = [];
    }
    if (head === null && seg.length > 0) parts.push(Buffer.from(seg));
    length += seg.length;
  };

  for await (const chunk of input) {
    const buf =
      typeof chunk === "string"
        ? Buffer.from(chunk, "utf8")
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let from = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, from);
      if (nl < 0) {
        add(buf.subarray(from));
        break;
      }
      add(buf.subarray(from, nl));
      yield finish();
      from = nl + 1;
    }
  }
  if (length > 0 || head !== null) yield finish();
}

/** The error text for an over-long line: its length and first bytes (JSON-quoted), never the line. */
export function tooLongMessage(bytes: number, head: string, maxBytes = MAX_APDU_LINE_BYTES): string {
  return `${bytes} bytes, longer than the ${maxBytes} a line may hold (a short APDU is at most 261 bytes, 783 characters of spaced hex); it starts ${JSON.stringify(head)}…`;
}
