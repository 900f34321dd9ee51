/**
 * Exact integer apportionment by cumulative rounding: split `part` of a vector whose entries sum to
 * `total` so that every share is an integer, shares sum to exactly `part`, and no entry gets more
 * than it holds. Deterministic (no random tie-breaks), O(n). Used to serve a capacity-limited batch
 * pro rata across municipalities without losing or inventing a single card.
 * @module
 */

/**
 * Writes into `out[i]` the share of `counts[i]` that a pro-rata draw of `part` out of `total` takes:
 * `out[i] = floor(C_i · part / total) − floor(C_{i−1} · part / total)` with `C_i` the running sum.
 * @param counts non-negative integer counts (exact in float64)
 * @param total the sum of `counts`
 * @param part how many to take, `0 ≤ part ≤ total`
 * @param out receives the shares (may alias nothing in `counts`)
 * @returns `part` (the shares' exact sum)
 */
export function apportion(
  counts: ArrayLike<number>,
  total: number,
  part: number,
  out: { [i: number]: number; length: number },
): number {
  const n = counts.length;
  if (part >= total) {
    for (let i = 0; i < n; i++) out[i] = counts[i]!;
    return total;
  }
  if (part <= 0 || total <= 0) {
    for (let i = 0; i < n; i++) out[i] = 0;
    return 0;
  }
  const ratio = part / total;
  let cum = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    if (c === 0) {
      out[i] = 0;
      continue;
    }
    cum += c;
    // The small epsilon keeps float error from dropping a card at an exact boundary.
    const next = cum === total ? part : Math.floor(cum * ratio + 1e-9);
    const share = next - prev;
    out[i] = share > c ? c : share;
    prev += out[i]!;
  }
  return prev;
}
