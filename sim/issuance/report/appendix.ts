/**
 * The report's closing sections: the real cryptography of the factory's crypto sample, and how to
 * reproduce the run.
 * @module
 */
import { p, type Block } from "./blocks.js";
import { DASH, fixed, int } from "./format.js";
import type { ReportInput } from "./input.js";

/** The factory's crypto sample: counts and the CA signing rate measured in the run. */
export function cryptoSection(input: ReportInput): Block[] {
  const c = input.crypto;
  if (!c) return [];
  const outcomes = Object.entries(c.authentications)
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(", ");
  return [
    { kind: "h", level: 2, text: "Real cryptography: the factory's crypto sample", id: "crypto" },
    p(
      `${int(c.cards)} of the cards were personalised for real (${c.profile === "current" ? "RSA-2048, sha256WithRSAEncryption" : "ECDSA P-384, ecdsa-with-SHA384"}): ` +
        `key pairs, both certificates issued by the two J-LIS roots, each card handed over and authenticated once ` +
        `through the JPKI AP. Sample rate: ${fixed(c.sampleRate * 1e6, 2)} per million cards handed over; ` +
        `every other card is an exact count.`,
    ),
    {
      kind: "table",
      head: ["figure", "value"],
      align: ["l", "r"],
      rows: [
        ["cards personalised", int(c.cards)],
        ["key pairs generated / from the key cache", `${int(c.keysGenerated)} / ${int(c.keysFromCache)}`],
        ["certificates issued", int(c.certificatesIssued)],
        ["signatures made (roots, certificates, key checks, card authentications)", int(c.signaturesMade)],
        ["CA signing rate measured in this run (certificates/s)", int(c.caSignaturesPerSecond)],
        ["authentications", outcomes || DASH],
        ["wall time (s)", fixed(c.wallSeconds, 1)],
      ],
    },
  ];
}

/** The command, seed, replications, threads, engine counts and versions that reproduce the run. */
export function reproduceSection(input: ReportInput): Block[] {
  const r = input.run;
  const versions = Object.keys(r.versions)
    .sort()
    .map((k) => [k, r.versions[k]!]);
  return [
    { kind: "h", level: 2, text: "Reproduce", id: "reproduce" },
    { kind: "code", text: r.command },
    {
      kind: "table",
      head: ["setting", "value"],
      rows: [
        ["run id", r.runId],
        ["seed", String(r.seed)],
        ["replications", int(r.replications)],
        ["threads", int(r.threads)],
        ["engine events (mean per replication)", int(input.summary.engine.eventsProcessed)],
        ["cohort operations (mean per replication)", int(input.summary.engine.cohortOperations)],
      ],
    },
    ...(versions.length > 0
      ? [{ kind: "table", caption: "Versions", head: ["component", "version"], rows: versions } as Block]
      : []),
    p(
      "The same command with the same seed gives byte-identical ",
      { code: "timeseries.csv" },
      " and ",
      { code: "summary.json" },
      " whatever ",
      { code: "--threads" },
      ": every replication draws from its own seeded random stream and results are combined in replication order. Wall time, machine and git commit are in ",
      { code: "manifest.json" },
      ", not here.",
    ),
  ];
}
