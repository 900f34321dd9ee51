import { describe, expect, it } from "vitest";
import { LONG_LINE_HEAD_BYTES, MAX_APDU_LINE_BYTES, inputLines, tooLongMessage } from "./card-input.js";
import type { InputLine } from "./card-input.js";

async function collect(chunks: (string | Uint8Array)[], max?: number): Promise<InputLine[]> {
  async function* source() {
    yield* chunks;
  }
  const out: InputLine[] = [];
  for await (const l of inputLines(source(), max)) out.push(l);
  return out;
}

describe("inputLines", () => {
  it("splits LF and CRLF lines across arbitrary chunk boundaries, numbering from 1", async () => {
    expect(await collect(["00 A4", " 04\r", "\n\n# c\n", "90", " 00"])).toEqual([
      { lineNo: 1, text: "00 A4 04" },
      { lineNo: 2, text: "" },
      { lineNo: 3, text: "# c" },
      { lineNo: 4, text: "90 00" },
    ]);
    expect(await collect([])).toEqual([]);
    expect(await collect(["a\n"])).toEqual([{ lineNo: 1, text: "a" }]);
  });

  it("keeps a line of exactly the limit and reports limit + 1 bytes by length and head only", async () => {
    const max = 32;
    const exact = "A".repeat(max);
    const over = "Z".repeat(max + 1);
    const lines = await collect([exact, "\n", over.slice(0, 5), over.slice(5), "\nok\n"], max);
    expect(lines[0]).toEqual({ lineNo: 1, text: exact });
    expect(lines[1]).toEqual({
      lineNo: 2,
      tooLong: { bytes: max + 1, head: "Z".repeat(LONG_LINE_HEAD_BYTES) },
    });
    expect(lines[2]).toEqual({ lineNo: 3, text: "ok" });
  });

  it("streams a line far over the limit without keeping it (5 MB in 64 KiB chunks)", async () => {
    const chunk = new Uint8Array(65_536).fill(0x5a);
    const chunks: Uint8Array[] = Array.from({ length: 80 }, () => chunk);
    const lines = await collect([...chunks, "\n00\n"]);
    expect(lines).toEqual([
      { lineNo: 1, tooLong: { bytes: 80 * 65_536, head: "Z".repeat(LONG_LINE_HEAD_BYTES) } },
      { lineNo: 2, text: "00" },
    ]);
    const message = tooLongMessage(80 * 65_536, "ZZZZ");
    expect(message).toContain(`longer than the ${MAX_APDU_LINE_BYTES} a line may hold`);
    expect(message.length).toBeLessThan(200);
  });

  it("cuts the head of a long line at a character boundary", async () => {
    const lines = await collect(["あ".repeat(20) + "\n"], 16); // 60 bytes of 3-byte characters
    expect(lines[0]).toEqual({ lineNo: 1, tooLong: { bytes: 60, head: "あああああ" } });
  });
});
