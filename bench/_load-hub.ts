/**
 * The provision hub under open-loop load (issue 12 item 7; DESIGN.md §8), run by bench/load.ts (after
 * the verification service, or alone with `--hub-only`).
 *
 * A fresh `myna-twin network init` directory (keys, institutions, the lmdb store) and a fresh
 * `pki init` CA (serve needs one), then `myna-twin serve --pki CA --hub DIR` in its own process, driven through `POST /v1/network/exchange` by the
 * open-loop generator (bench/_load-generator.ts, its own process: HDR latencies corrected for
 * coordinated omission and raw). Every request is a real exchange: a fresh exchange id, a lawful
 * (requester, provider, procedure, items) of the hub's whitelist, the person's code at the requester,
 * signed with the requester's Ed25519 key (sim/network/hub/client.ts `signExchangeRequest`) — all
 * signed before the step's timed phase, so the generator spends its core on sending only. The hub
 * verifies, maps codes, has the provider answer and sign, and writes both records durably before it
 * answers. Offered loads rise ×1.5, then two steps bisect (bench/_load-knee.ts, as for the verify
 * service), to the **knee** (the highest 2xx throughput of a step that served
 * ≥ 97 % of its requests at ≥ 90 % of the offered rate with p99 (corrected) ≤ 250 ms, as
 * bench/load.ts's), then a step three times as long at the **design peak hour** itself (its p99,
 * and the server's CPU per exchange at a fixed rate), and one as long at **10 × the design peak hour**
 * (sim/network/model.ts `peakRatePerSecond` on the network defaults: 640 M a year at its busiest
 * hour), met when the hub keeps up there with p99 (corrected) ≤ 100 ms (issue 12). The reference, same
 * run: a bare node:http server answering a body of the hub's answer size to the same request bodies,
 * offered loads rising the same way. At the end the hub's signed tree head must count two records
 * for every acknowledged exchange.
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { myNumberCheckDigit } from "../sim/numbers/my-number.js";
import { enrol } from "../sim/network/hub/enrolment.js";
import { signExchangeRequest } from "../sim/network/hub/client.js";
import { HubCore } from "../sim/network/hub/hub-core.js";
import { loadHubDirectory } from "../sim/network/hub/hub-directory.js";
import { openHubEnv } from "../sim/network/hub/hub-env.js";
import { peakRatePerSecond } from "../sim/network/model.js";
import type { NetworkLogger } from "../sim/network/network-logger.js";
import { buildWhitelistRows } from "../sim/network/whitelist-table.js";
import { NETWORK_DEFAULTS } from "../sim/network/params.js";
import { searchKnee } from "./_load-knee.js";
import type { LatencySummary, OpenLoopPlan, OpenLoopResult } from "./_load-open-loop.js";
import type { BenchResult } from "./_shared.js";
import { log, makeResult } from "./_shared.js";

/** The target's latency bound: p99 (corrected) at 10 × the design peak hour. */
export const HUB_P99_TARGET_MS = 100;
/** The target's load: this many times the design peak hour. */
export const HUB_TARGET_MULTIPLE = 10;

/** The design peak hour, exchanges per second (640 M a year at its busiest hour). */
export const DESIGN_PEAK_PER_SECOND = peakRatePerSecond(
  NETWORK_DEFAULTS.designAnnualExchanges,
  NETWORK_DEFAULTS,
);

export interface HubSettings {
  readonly quick: boolean;
  /** Seconds per search step (the target step runs three times as long). */
  readonly seconds: number;
  readonly startRate: number;
  readonly maxSteps: number;
}

/** What bench/load.ts lends the hub section: its generator child and its server starter. */
export interface HubDeps {
  /** A fresh open-loop generator child (bench/_load-generator.ts); stopped when the section ends. */
  generator(): {
    readonly ready: Promise<unknown>;
    open(plan: OpenLoopPlan): Promise<OpenLoopResult>;
    stop(): void;
  };
  /** Starts bench/_load-server.ts with a spec (the bare reference). */
  startBare(
    spec: Record<string, unknown>,
  ): Promise<{ readonly url: string; cpuUs(): Promise<number>; stop(): Promise<void> }>;
}

/** The hub section's settings from bench:load's: its step length, from 20/s (×1.5, up to 16 steps; quick 12). */
export function hubSettingsOf(load: { readonly quick: boolean; readonly seconds: number }): HubSettings {
  return {
    quick: load.quick,
    seconds: load.seconds,
    startRate: 20,
    maxSteps: load.quick ? 12 : 16,
  };
}

/** One step of the hub's latency-versus-throughput curve. */
export interface HubCurvePoint {
  readonly target: "hub" | "bare-hub";
  readonly phase: "search" | "design" | "target";
  readonly offeredRate: number;
  readonly achievedRate: number;
  readonly requests: number;
  readonly ok: number;
  readonly shed: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly late: number;
  readonly dropped: number;
  readonly void: boolean;
  readonly voidReason: string | null;
  readonly corrected: LatencySummary;
  readonly raw: LatencySummary;
  /** Server CPU ms per 1,000 2xx answers (the server process, all threads). */
  readonly cpuMsPer1000: number | null;
}

const JSON_HEADERS = { "content-type": "application/json" };

/** Above this p99 (corrected) a step no longer counts as kept up (as bench/load.ts's knee). */
const KNEE_P99_MS = 250;

/** The server kept up: ≥ 97 % answered 2xx, at ≥ 90 % of the offered rate, p99 (corrected) ≤ `p99Ms`. */
const kept = (r: OpenLoopResult, p99Ms = KNEE_P99_MS) =>
  r.dropped === 0 &&
  r.ok >= 0.97 * r.count &&
  r.achievedRate >= 0.9 * r.offeredRate &&
  r.corrected.p99 <= p99Ms;

const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "–");

function point(
  target: HubCurvePoint["target"],
  phase: HubCurvePoint["phase"],
  r: OpenLoopResult,
  cpuUs: number | null,
): HubCurvePoint {
  return {
    target,
    phase,
    offeredRate: r.offeredRate,
    achievedRate: Math.round(r.achievedRate),
    requests: r.count,
    ok: r.ok,
    shed: r.shed,
    statuses: r.statuses,
    errors: r.errors,
    late: r.late,
    dropped: r.dropped,
    void: r.void,
    voidReason: r.voidReason,
    corrected: r.corrected,
    raw: r.raw,
    cpuMsPer1000: cpuUs === null || r.ok === 0 ? null : cpuUs / 1000 / (r.ok / 1000),
  };
}

/** One line per step for the log. */
export function describeHub(p: HubCurvePoint): string {
  const other = Object.entries(p.statuses)
    .filter(([s]) => !(s.startsWith("2") || s === "429"))
    .map(([s, n]) => `${s}×${n}`)
    .join(" ");
  return (
    `${p.target.padEnd(8)} ${p.phase.padEnd(6)} offered ${String(p.offeredRate).padStart(6)}/s achieved ${String(p.achievedRate).padStart(6)}/s ` +
    `ok ${p.ok} 429 ${p.shed}${other ? ` other ${other}` : ""} err ${p.errors} | corrected p50 ${fmt(p.corrected.p50)} p99 ${fmt(p.corrected.p99)} max ${fmt(p.corrected.max)} ms | ` +
    `raw p50 ${fmt(p.raw.p50)} p99 ${fmt(p.raw.p99)} ms` +
    (p.cpuMsPer1000 !== null ? ` | cpu ${fmt(p.cpuMsPer1000, 0)} ms/1000` : "") +
    (p.void ? ` | VOID: ${p.voidReason}` : p.late > 0 ? ` | late ${p.late}` : "")
  );
}

/** The `myna-twin` CLI as this benchmark runs: the compiled one beside dist/bench, or the sources under tsx. */
function cliScript(): { file: string; execArgv: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  if (import.meta.url.endsWith(".js")) return { file: resolve(here, "../cli/main.js"), execArgv: [] };
  return { file: resolve(here, "../cli/main.ts"), execArgv: ["--import", "tsx"] };
}

/** Runs `myna-twin ARGS` to completion; throws with its stderr when it fails. */
async function runCli(args: string[]): Promise<string> {
  const c = cliScript();
  const child = spawn(process.execPath, [...c.execArgv, c.file, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  if (code !== 0) throw new Error(`myna-twin ${args.join(" ")} exited ${code}: ${err.trim()}`);
  return out;
}

/** This Linux process's CPU time (user + system, all threads), µs, from /proc. */
function procCpuUs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
    return (ticks / 100) * 1e6; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

interface HubServer {
  readonly url: string;
  readonly child: ChildProcess;
  cpuUs(): number | null;
  stop(): Promise<number | null>;
}

/**
 * `myna-twin serve --pki CA --hub DIR` on 127.0.0.1, any free port, one verify thread (the hub's
 * work is on the main thread), admission at serve's defaults, the request log to a file as in
 * production; resolves once it prints its URL.
 */
async function startHub(pkiDir: string, hubDir: string, logFile: string): Promise<HubServer> {
  const c = cliScript();
  const child = spawn(
    process.execPath,
    [
      ...c.execArgv,
      c.file,
      "serve",
      "--pki",
      pkiDir,
      "--hub",
      hubDir,
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--threads",
      "1",
      "--log",
      logFile,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)\n/.exec(out);
      if (m) resolveUrl(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`serve --hub exited (${code}) before listening`)));
  });
  return {
    url,
    child,
    cpuUs: () => (child.pid === undefined ? null : procCpuUs(child.pid)),
    stop: () =>
      new Promise<number | null>((r) => {
        if (child.exitCode !== null) return r(child.exitCode);
        child.once("exit", (code) => r(code));
        child.kill("SIGTERM");
      }),
  };
}

/** The hub's current tree size, from its signed head. */
async function treeSize(url: string): Promise<number> {
  const r = await fetch(`${url}/v1/network/head`);
  if (r.status !== 200) throw new Error(`GET /v1/network/head: HTTP ${r.status}`);
  const j = (await r.json()) as { treeSize?: number; size?: number };
  const n = j.treeSize ?? j.size;
  if (typeof n !== "number") throw new Error("GET /v1/network/head: no treeSize");
  return n;
}

/** Signed request bodies, each a fresh lawful exchange. */
export interface HubWorkload {
  /** `n` bodies, signed now (before the step's timed phase), each with a fresh exchange id. */
  bodies(n: number): string[];
  /** Persons × requesters enrolled. */
  readonly enrolled: number;
  /** Distinct lawful (requester, provider, procedure, items) requests drawn from. */
  readonly lawful: number;
}

/** Persons enrolled at each requester before the run (synthetic My Numbers with their check digit). */
const PERSONS = 32;
/** Requesters (the first of each kind that may ask anything) the persons are enrolled at. */
const MAX_REQUESTERS = 8;

/**
 * The workload of a fresh hub directory: enrols {@link PERSONS} persons at up to
 * {@link MAX_REQUESTERS} requesters (`network enrol`'s library call, on the store before `serve`
 * opens it: the requester's code and every lawful provider's copy), then draws lawful requests
 * round-robin over (person, requester, whitelist row, provider) and signs each as its requester.
 */
export function hubWorkload(hubDir: string): HubWorkload {
  const dir = loadHubDirectory(hubDir);
  const env = openHubEnv(dir.storeDir);
  const logger: NetworkLogger = { warn: () => undefined, info: () => undefined };
  const core = new HubCore(dir.coreKey, dir.directory, env, logger);
  const rows = buildWhitelistRows();
  const byKind = new Map<string, string[]>();
  for (const i of dir.directory.values()) byKind.set(i.kind, [...(byKind.get(i.kind) ?? []), i.id]);
  const requesters: string[] = [];
  for (const kind of new Set(rows.map((r) => r.requester))) {
    const id = byKind.get(kind)?.[0];
    if (id !== undefined && requesters.length < MAX_REQUESTERS) requesters.push(id);
  }
  const myNumbers = Array.from({ length: PERSONS }, (_, k) => {
    const first11 = String(10_000_000_000 + k * 7_919).padStart(11, "0");
    return `${first11}${myNumberCheckDigit(first11)}`;
  });
  interface Template {
    requester: string;
    provider: string;
    procedure: string;
    items: readonly string[];
  }
  const templates: Template[] = [];
  for (const requester of requesters) {
    const kind = dir.directory.get(requester)!.kind;
    for (const row of rows.filter((r) => r.requester === kind))
      for (const { provider: pk, items } of row.providers)
        for (const provider of (byKind.get(pk) ?? []).slice(0, 2))
          if (provider !== requester)
            templates.push({ requester, provider, procedure: row.procedure, items: items.slice(0, 3) });
  }
  const codes = new Map<string, string>(); // requester ‖ person → code
  // One outer transaction (each enrolment's own is nested in it): one durable commit, not hundreds.
  env.env.transactionSync(() => {
    myNumbers.forEach((n, person) => {
      for (const requester of requesters)
        codes.set(`${requester}/${person}`, enrol(core, env, requester, n).code);
    });
  });
  env.env.close();
  if (templates.length === 0) throw new Error("hub workload: no lawful request among the hub's institutions");
  const keys = new Map(requesters.map((r) => [r, dir.institutions.get(r)!.privateKey]));
  const run = randomBytes(6).toString("hex");
  let next = 0;
  return {
    enrolled: codes.size,
    lawful: templates.length,
    bodies(n: number): string[] {
      const out = new Array<string>(n);
      const now = Date.now();
      for (let i = 0; i < n; i++, next++) {
        const t = templates[next % templates.length]!;
        const person = Math.floor(next / templates.length) % PERSONS;
        out[i] = JSON.stringify(
          signExchangeRequest(keys.get(t.requester)!, {
            exchangeId: `bench-${run}-${next}`,
            requester: t.requester,
            provider: t.provider,
            requesterCode: codes.get(`${t.requester}/${person}`)!,
            procedure: t.procedure,
            dataItems: t.items,
            requestedAt: now,
          }),
        );
      }
      return out;
    },
  };
}

/** The hub section of the load benchmark. */
export async function measureHub(
  s: HubSettings,
  deps: HubDeps,
): Promise<{ results: BenchResult[]; curve: HubCurvePoint[] }> {
  const curve: HubCurvePoint[] = [];
  const work = mkdtempSync(join(tmpdir(), "myna-bench-hub-"));
  const gen = deps.generator();
  const open = (plan: OpenLoopPlan) => gen.open(plan);
  let hub: HubServer | undefined;
  try {
    await gen.ready;
    const hubDir = join(work, "hub");
    const pkiDir = join(work, "ca");
    log("hub: pki init (serve's CA) and network init (keys, institutions, lmdb store) …");
    await runCli(["pki", "init", "--out", pkiDir]);
    await runCli(["network", "init", "--out", hubDir]);
    const workload = hubWorkload(hubDir);
    log(`hub: ${workload.enrolled} person codes enrolled, ${workload.lawful} lawful requests to draw from`);
    hub = await startHub(pkiDir, hubDir, join(work, "hub.log"));
    log(
      `hub: serving on ${hub.url}; design peak hour ${fmt(DESIGN_PEAK_PER_SECOND)}/s, target ${HUB_TARGET_MULTIPLE}× = ${fmt(HUB_TARGET_MULTIPLE * DESIGN_PEAK_PER_SECOND)}/s with p99 ≤ ${HUB_P99_TARGET_MS} ms`,
    );
    let acknowledged = 0;
    let sampleBody = "";
    let sampleAnswerBytes = 0;
    const h = hub;
    const hubStep = async (rate: number, seconds: number) => {
      const count = Math.max(1, Math.round(rate * seconds));
      const bodies = workload.bodies(count); // signed here, before the timed phase
      sampleBody ||= bodies[0]!;
      const c0 = h.cpuUs();
      const r = await open({
        url: h.url,
        rate,
        count,
        method: "POST",
        path: "/v1/network/exchange",
        headers: JSON_HEADERS,
        bodies,
      });
      const c1 = h.cpuUs();
      acknowledged += r.ok;
      return { r, cpu: c0 === null || c1 === null ? null : c1 - c0 };
    };
    // Warm-up (JIT, connections, lmdb pages); its exchanges count like any others.
    await hubStep(s.startRate / 2, 1);
    if (!sampleAnswerBytes) {
      const probe = workload.bodies(1)[0]!;
      const r = await fetch(`${h.url}/v1/network/exchange`, {
        method: "POST",
        headers: JSON_HEADERS,
        body: probe,
      });
      const text = await r.text();
      if (r.status !== 200)
        throw new Error(
          `hub: a well-formed signed exchange was refused: HTTP ${r.status} ${text.slice(0, 300)}`,
        );
      sampleAnswerBytes = Buffer.byteLength(text);
      acknowledged++;
    }

    // The verify search's ladder and bisection (bench/_load-knee.ts): the ladder alone put the knee
    // at 7.9× the design peak on a run whose 10× step then kept up.
    const { knee } = await searchKnee(s.startRate, s.maxSteps, async (rate) => {
      let { r, cpu } = await hubStep(rate, s.seconds);
      if (r.void) {
        curve.push(point("hub", "search", r, cpu));
        log(describeHub(curve[curve.length - 1]!));
        ({ r, cpu } = await hubStep(rate, s.seconds));
      }
      const p = point("hub", "search", r, cpu);
      curve.push(p);
      log(describeHub(p));
      return { sustained: kept(r), achieved: r.achievedRate };
    });
    if (knee === 0)
      log(
        `hub: kept up with none of the offered loads from ${s.startRate}/s (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
      );
    // The design peak hour itself, three search steps long: latency there and the hub's own CPU per
    // exchange at a fixed rate, whatever rate the search reached on a busy machine.
    const d = await hubStep(Math.round(DESIGN_PEAK_PER_SECOND), 3 * s.seconds);
    const designPoint = point("hub", "design", d.r, d.cpu);
    curve.push(designPoint);
    log(describeHub(designPoint));
    const cpuAtDesign = designPoint.cpuMsPer1000 ?? NaN;
    const targetRate = Math.round(HUB_TARGET_MULTIPLE * DESIGN_PEAK_PER_SECOND);
    const t = await hubStep(targetRate, 3 * s.seconds);
    const targetPoint = point("hub", "target", t.r, t.cpu);
    curve.push(targetPoint);
    log(describeHub(targetPoint));

    const size = await treeSize(h.url);
    log(
      `hub: ${acknowledged} exchanges acknowledged, tree size ${size} (${size === 2 * acknowledged ? "two records each" : "MISMATCH"})`,
    );
    const exitCode = await h.stop();
    hub = undefined;
    if (exitCode !== 0) log(`hub: serve exited ${exitCode} after SIGTERM`);

    // Reference: bare node:http, the same request bodies, a fixed answer of the hub's answer size.
    const bare = await deps.startBare({ mode: "bare", bodyBytes: sampleAnswerBytes });
    // The lowest rate the bare server was not kept up with bounds its knee: when that step was void,
    // the generator fell behind and the knee is a lower bound.
    let bareFailedAt = Infinity;
    let bareLimited = false;
    const { knee: bareKnee } = await searchKnee(s.startRate, s.maxSteps + 2, async (rate) => {
      let r: OpenLoopResult | undefined;
      for (let attempt = 0; attempt < 2 && (r === undefined || r.void); attempt++) {
        const c0 = await bare.cpuUs();
        r = await open({
          url: bare.url,
          rate,
          count: Math.round(rate * s.seconds),
          method: "POST",
          path: "/v1/network/exchange",
          headers: JSON_HEADERS,
          bodies: [sampleBody],
        });
        const p = point("bare-hub", "search", r, (await bare.cpuUs()) - c0);
        curve.push(p);
        log(describeHub(p));
      }
      const sustained = kept(r!);
      if (!sustained && rate < bareFailedAt) {
        bareFailedAt = rate;
        bareLimited = r!.void;
      }
      return { sustained, achieved: r!.achievedRate };
    });
    await bare.stop();

    const q = s.quick;
    const results: BenchResult[] = [
      makeResult(
        {
          name: "load.hub.knee",
          unit: "exchanges/s",
          value: Math.round(knee),
          higherIsBetter: true,
          reference:
            bareKnee > 0
              ? {
                  name: `bare node:http, open loop${bareLimited ? " (lower bound: generator-limited)" : ""}`,
                  value: Math.round(bareKnee),
                }
              : null,
        },
        q,
      ),
      makeResult(
        {
          name: "load.hub.kneeOverDesignPeak",
          unit: `× design peak hour (${fmt(DESIGN_PEAK_PER_SECOND)}/s)`,
          value: knee / DESIGN_PEAK_PER_SECOND,
          higherIsBetter: true,
          target: HUB_TARGET_MULTIPLE,
        },
        q,
      ),
      makeResult(
        {
          name: "load.hub.p99AtDesignPeak.corrected",
          unit: "ms",
          value: designPoint.corrected.p99,
          higherIsBetter: false,
          target: HUB_P99_TARGET_MS,
        },
        q,
      ),
      makeResult(
        {
          name: "load.hub.p99AtDesignPeak.raw",
          unit: "ms",
          value: designPoint.raw.p99,
          higherIsBetter: false,
        },
        q,
      ),
      makeResult(
        {
          name: "load.hub.p99At10xDesignPeak.corrected",
          unit: "ms",
          value: targetPoint.corrected.p99,
          higherIsBetter: false,
          target: HUB_P99_TARGET_MS,
        },
        q,
      ),
      makeResult(
        {
          name: "load.hub.p99At10xDesignPeak.raw",
          unit: "ms",
          value: targetPoint.raw.p99,
          higherIsBetter: false,
        },
        q,
      ),
      makeResult(
        {
          name: "load.hub.p50At10xDesignPeak.corrected",
          unit: "ms",
          value: targetPoint.corrected.p50,
          higherIsBetter: false,
        },
        q,
      ),
      makeResult(
        {
          name: "load.hub.okShareAt10xDesignPeak",
          unit: "%",
          value: (100 * targetPoint.ok) / Math.max(1, targetPoint.requests),
          higherIsBetter: true,
          target: 97,
        },
        q,
      ),
      makeResult(
        {
          name: "load.hub.cpuPer1000At10xDesignPeak",
          unit: "CPU ms",
          value: targetPoint.cpuMsPer1000 ?? NaN,
          higherIsBetter: false,
        },
        q,
      ),
      makeResult(
        {
          name: "load.hub.cpuPer1000AtDesignPeak",
          unit: "CPU ms per 1,000 exchanges (server process, all threads)",
          value: cpuAtDesign,
          higherIsBetter: false,
        },
        q,
      ),
      makeResult(
        {
          name: "load.hub.exchangesPerCpuSecond",
          unit: "exchanges per CPU-second (the server's ceiling on one free core)",
          value: 1e6 / cpuAtDesign,
          higherIsBetter: true,
        },
        q,
      ),
      makeResult(
        {
          name: "load.hub.recordsPerAcknowledged",
          unit: "records",
          value: acknowledged > 0 ? size / acknowledged : NaN,
          higherIsBetter: true,
          target: 2,
        },
        q,
      ),
    ];
    log(
      `hub knee ${Math.round(knee)}/s = ${fmt(knee / DESIGN_PEAK_PER_SECOND)}× the design peak hour (${fmt(DESIGN_PEAK_PER_SECOND)}/s); ` +
        `at ${targetRate}/s (10×): p99 ${fmt(targetPoint.corrected.p99)} ms corrected, ${fmt(targetPoint.raw.p99)} ms raw, ` +
        `${fmt((100 * targetPoint.ok) / Math.max(1, targetPoint.requests))} % answered 2xx — target ≥ 10× with p99 ≤ ${HUB_P99_TARGET_MS} ms: ` +
        `${kept(t.r, HUB_P99_TARGET_MS) ? "MET" : "NOT MET"}; bare node:http ${Math.round(bareKnee)}/s; ` +
        `at the design peak (${Math.round(DESIGN_PEAK_PER_SECOND)}/s): p99 ${fmt(designPoint.corrected.p99)} ms corrected, ` +
        `server CPU ${fmt(cpuAtDesign, 0)} ms per 1,000 exchanges = ${fmt(1e6 / cpuAtDesign, 0)} exchanges per CPU-second ` +
        `(${fmt(1e6 / cpuAtDesign / DESIGN_PEAK_PER_SECOND)}× the design peak on one free core)`,
    );
    return {
      results: results
        .filter((r) => Number.isFinite(r.value))
        .map((r) => ({ ...r, value: Number(r.value.toFixed(3)) })),
      curve,
    };
  } finally {
    if (hub) await hub.stop();
    gen.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
