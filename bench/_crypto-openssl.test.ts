import { describe, expect, it } from "vitest";
import { parseOpensslRsaSpeed } from "./_crypto-openssl.js";

describe("parseOpensslRsaSpeed", () => {
  it("reads the summary line of `openssl speed -multi 2 rsa2048` (OpenSSL 3.0)", () => {
    const out = [
      "Got: +F2:2:2048:457.000000:7578.217822 from 0",
      "version: 3.0.19",
      "                  sign    verify    sign/s verify/s",
      "rsa 2048 bits 0.001116s 0.000066s    896.2  15225.7",
      "",
    ].join("\n");
    expect(parseOpensslRsaSpeed(out)).toEqual({ signPerSecond: 896.2, verifyPerSecond: 15225.7 });
    expect(parseOpensslRsaSpeed("no summary")).toBeNull();
  });
});
