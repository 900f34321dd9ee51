/**
 * Hashing of the revocation filter (CRLite/Clubcard-style, ANCHORS.md §2.2): a certificate is a
 * 64-bit key (two uint32 words) derived from its issuer and serial by {@link certificateKey}; the
 * filter maps a key to a block, and within a block to one GF(2) equation of a Ribbon system
 * (Dietzfelbinger & Walzer 2019; Dillinger & Walzer 2021): a start row, a 64-bit coefficient window
 * whose lowest bit is set, and a fingerprint. Mixing is murmur3's fmix32; everything is fixed and
 * seeded from the filter file, so a verifier computes exactly what the builder did.
 * @module
 */

/** murmur3 finaliser: a bijective avalanche of one uint32. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Block of key (hi, lo) among `blocks`, under the filter's global seed. */
export function blockOf(hi: number, lo: number, seed: number, blocks: number): number {
  const h = fmix32(hi ^ fmix32((lo ^ seed) >>> 0) ^ 0x3c6ef372);
  return Math.floor((h * blocks) / 4294967296);
}

/**
 * One equation, written to `eq`: eq[0] start row in [0, m − 63], eq[1]/eq[2] low/high words of the
 * coefficient window (bit 0 set), eq[3] the fingerprint. `seed` is the block's (and level's) seed.
 */
export function equationOf(hi: number, lo: number, seed: number, m: number, eq: Uint32Array): void {
  const x = fmix32((lo + Math.imul(seed, 0x9e3779b9)) >>> 0);
  const y = fmix32((hi ^ x) >>> 0);
  const cLo = (fmix32((x ^ Math.imul(y, 0x27d4eb2d)) >>> 0) | 1) >>> 0;
  const cHi = fmix32((cLo + y) >>> 0);
  eq[0] = Math.floor((y * (m - 63)) / 4294967296);
  eq[1] = cLo;
  eq[2] = cHi;
  eq[3] = fmix32((cHi ^ x ^ 0x7f4a7c15) >>> 0);
}

/**
 * The 64-bit key of a certificate: FNV-1a-style mixing of the issuer identifier (e.g. its key id)
 * and the serial's magnitude (leading zero octets ignored) in two independent 32-bit lanes. Written
 * to out[offset] (hi) and out[offset + 1] (lo). Not cryptographic: the universe is the issued
 * certificates, so nobody chooses colliding serials; a collision between a revoked and a valid
 * certificate (probability ≈ N²/2^65) is reported by the builder as `E_FILTER_BUILD`.
 */
export function certificateKey(issuer: Uint8Array, serial: Uint8Array, out: Uint32Array, offset = 0): void {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < issuer.length; i++) {
    a = Math.imul(a ^ issuer[i]!, 0x01000193);
    b = Math.imul(b ^ issuer[i]!, 0x5bd1e995);
  }
  a = Math.imul(a ^ 0xff, 0x01000193);
  let i = 0;
  while (i < serial.length - 1 && serial[i] === 0) i++;
  for (; i < serial.length; i++) {
    a = Math.imul(a ^ serial[i]!, 0x01000193);
    b = Math.imul((b ^ serial[i]!) >>> 0, 0x5bd1e995);
    b ^= b >>> 15;
  }
  out[offset] = fmix32((a ^ Math.imul(b, 0x9e3779b9)) >>> 0);
  out[offset + 1] = fmix32((b ^ 0x85ebca6b ^ a) >>> 0);
}
