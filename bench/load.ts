/**
 * Entry point of the load benchmark (issue 10 items 5–6, issue 11 item 4; DESIGN.md §8):
 * `npm run -s bench:load -- [--json] [--quick] [--threads=N] [--seconds=S] [--twin-seconds=S]
 * [--hub-only]` (`--seconds`: each search step, default 4; `--twin-seconds`: each twin step and
 * its repeat, default 3 × `--seconds`).
 *
 * Three processes: this one (orchestrator: makes the demo PKI and cards, fetches challenges, signs
 * them), the server (bench/_load-server.ts) and the generator (bench/_load-generator.ts), so the
 * generator never shares an event loop with the server. In one run:
 *
 * 1. **Verification service, open loop** (bench/_load-open-loop.ts): `POST /v1/auth/verify` with
 *    real answers — fresh one-time challenges from the service, signed in advance with the demo
 *    cards' RSA-2048 keys (PKCS#1 v1.5 is deterministic: the first signature is checked byte for
 *    byte against the simulated card's COMPUTE DIGITAL SIGNATURE answer through its APDUs), every
 *    one checked by the service (chain, validity, CRL index, signature on the pool). Offered loads
 *    rise ×1.5 until the service stops keeping up, then two steps bisect between the last rate kept
 *    up with and the first that was not (bench/_load-knee.ts; the **knee**: the highest 2xx
 *    throughput of a step that served ≥ 97 % of its requests at ≥ 90 % of the offered rate). Then
 *    steps at 30 %, 50 % and 80 % of the knee, an overload step at 10× the knee (shedding: 429
 *    share and the p99 of accepted requests) and a recovery step at 50 %.
 * 2. **Twin against live** (item 6): at 30/50/80 % of the knee (steps three times as long as the
 *    search steps), sim/auth's service twin (`predictServiceTwin`: main thread → pool of
 *    `--threads` workers → main thread, on engine/des) is given the service's times measured in
 *    that step — per request `pre`, `verify`, `post` and its batch's hops to and from the pool from
 *    the service's Server-Timing split, as a trace (simulated request i takes the segments of
 *    measured request i, so stretches of slow segments keep their place); the waits for a core of
 *    the service's main thread and of the generator, read from /proc every ms, at their times;
 *    node:http's own work per request (the bare server's event-loop busy time per request, same
 *    run) and the rest of the service's main-thread work per request (its CPU time; event-loop busy
 *    time where no waits were read), off the request's path; the server's and the generator's main-thread GC pauses in
 *    that step (bench/_load-pauses.ts), replayed as pauses of the main thread and of the client; the
 *    generator's measured send lags, in send order — and predicts p50/p99 beside the measured
 *    (corrected) ones (`load.twin.p99Error.*`, the target). Also: the twin's latency from the actual
 *    send against the raw latency (`load.twin.fromSendVsRaw.*`), and the twin with the segments
 *    drawn at random instead, independently of time (`load.twin.resampled.*`: what the twin assumes
 *    where it has no trace, e.g. scenario auth-peak). No correction factor: what is not modelled
 *    (loopback, the client's parse) is left out. Those are graded against the step the twin was
 *    given. After the three, each load is measured again (`repeat` steps): the twin of the first
 *    step against the repeat, which it has not seen (`load.twin.outOfSample.*`,
 *    `load.twin.resampled.outOfSample.*`), and the first step's measured latency taken as the
 *    repeat's prediction (`load.repeat.*`: how far a p99 moves between two steps at one load, the
 *    figure an out-of-sample twin has to beat).
 * 3. **Reference, same run**: a bare node:http server answering a fixed body of the same size to
 *    the same request bodies, offered loads rising the same way. Its knee is a lower bound when the
 *    generator or the search's last step stopped it; the knee's ratio is then not graded.
 * 4. **Closed loop (autocannon)**: throughput with 32 connections always busy, 20,000 requests to
 *    the service and to the bare server, with each server's CPU per answer — the graded throughput
 *    ratio; its latencies are not reported (coordinated omission). And the ceiling of that ratio on
 *    this machine (`load.verify.closedLoop.vsChecksAlone`): the same closed loop to a bare node:http
 *    server doing only auth-check.ts's checks in its one thread (bench/_load-server.ts `checks`).
 *
 * 5. **The provision hub** (issue 12 item 7, bench/_load-hub.ts; alone with `--hub-only`).
 *
 * CPU per 1,000 verifications is the server process's CPU time (all threads) over the 80 % step.
 * `--json` prints the DESIGN.md §8 document plus `curve` (every step, both latencies); save it as
 * bench/results/load.json.
 * @module
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError, isInputError } from "../engine/errors.js";
import { CryptoPool, signMessages } from "../sim/crypto/pool.js";
import type { TestPki } from "../sim/services/demo-pki.js";
import { makeTestPki } from "../sim/services/demo-pki.js";
import type { ClosedLoopPlan, ClosedLoopResult } from "./_load-closed-loop.js";
import type { LatencySummary, OpenLoopPlan, OpenLoopResult } from "./_load-open-loop.js";
import type { GcKind, GcSummary, LoopDelaySummary, PauseReport } from "./_load-pauses.js";
import { summariseGc } from "./_load-pauses.js";
import type { MeasuredTwinInput, TwinFigures } from "./_load-twin.js";
import type { StepCpu } from "./_load-twin.js";
import type { StepWaits } from "./_load-twin.js";
import { runTwin, twinInputOf } from "./_load-twin.js";
import { mainThreadSchedstat, startRunQueueRecorder } from "./_load-run-queue.js";
import { describeHub, hubSettingsOf, measureHub } from "./_load-hub.js";
import { searchKnee } from "./_load-knee.js";
import type { BenchResult } from "./_shared.js";
import {
  benchDocument,
  benchScript,
  isMain,
  log,
  machineInfo,
  makeResult,
  parseBenchArgs,
  resultTable,
} from "./_shared.js";

/** Above this p99 (corrected) a step no longer counts as kept up: latency has left the flat part of the curve. */
const KNEE_P99_MS = 250;

/** Filler entries of the demo CRL served in the download steps (≈40 bytes each). */
const CRL_FILLER = 2000;

/** A run that measured nothing usable: one line on stderr, exit 1, no stack. */
class BenchFailure extends Error {}

/** One step of the latency-versus-throughput curve. */
export interface CurvePoint {
  readonly target: "verify" | "bare" | "crl" | "bare-crl";
  /** `repeat`: a twin step measured again, after all three (the twin's out-of-sample check). */
  readonly phase: "search" | "twin" | "repeat" | "overload" | "recovery";
  readonly offeredRate: number;
  readonly achievedRate: number;
  readonly requests: number;
  readonly ok: number;
  readonly shed: number;
  readonly otherStatus: number;
  readonly errors: number;
  /** {@link errors} by code (ECONNRESET, …). */
  readonly errorCodes: Readonly<Record<string, number>>;
  readonly late: number;
  readonly dropped: number;
  readonly void: boolean;
  readonly voidReason: string | null;
  /** 2xx latency, ms, from the intended send time (corrected) and from the actual send (raw). */
  readonly corrected: LatencySummary;
  readonly raw: LatencySummary;
  /** Server CPU ms per 1,000 2xx answers. */
  readonly cpuMsPer1000: number | null;
  /** Main-thread pauses over the step (bench/_load-pauses.ts): the server's and the generator's. */
  readonly pauses: { readonly server: StepPauses | null; readonly generator: StepPauses | null };
  /**
   * The twin at this load (twin steps only), from the service times, main-thread pauses and generator
   * send lags measured in this step (against `corrected`) …
   */
  readonly twin: TwinFigures | null;
  /** … without the send lags (the server alone, against `raw`) … */
  readonly twinFromSend: TwinFigures | null;
  /** … and with the measured segments drawn at random rather than as a trace (against `corrected`). */
  readonly twinResampled: TwinFigures | null;
}

/** A process's main-thread pauses over one step: GC pauses by kind and the event loop's timer intervals. */
export interface StepPauses {
  readonly gc: Partial<Record<GcKind, GcSummary>>;
  readonly loopDelay: LoopDelaySummary;
}

const stepPauses = (p: PauseReport | null | undefined): StepPauses | null =>
  p ? { gc: summariseGc(p.gc), loopDelay: p.loopDelay } : null;

export interface Settings {
  readonly quick: boolean;
  readonly threads: number;
  readonly seconds: number;
  /** Length of each twin step and of its repeat (default 3 × `seconds`). */
  readonly twinSeconds: number;
  readonly startRate: number;
  readonly bareStartRate: number;
  readonly maxSteps: number;
  /** Where to write the twin steps' measured inputs (JSON), to study the twin offline. */
  readonly twinDump: string | null;
}

/** The benchmark's own flags (`rest`: what parseBenchArgs left), checked. */
export function settingsOf(rest: readonly string[], quick: boolean): Settings {
  const flag = (name: string) => rest.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const num = (name: string, fallback: number, min: number, max: number, int: boolean) => {
    const v = flag(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max || (int && !Number.isInteger(n)))
      throw new InputError(
        `--${name}=${v}: expected a ${int ? "whole " : ""}number from ${min} to ${max}`,
        "E_BENCH_ARGS",
      );
    return n;
  };
  const seconds = num("seconds", quick ? 1 : 4, 0.5, 60, false);
  return {
    quick,
    threads: num("threads", 1, 0, 64, true),
    seconds,
    twinSeconds: num("twin-seconds", 3 * seconds, 0.5, 300, false),
    startRate: 20,
    bareStartRate: 20,
    maxSteps: quick ? 4 : 16,
    twinDump: flag("twin-dump") ?? null,
  };
}

/**
 * A forked child speaking IPC with advanced serialisation. The generator's V8 collects garbage on
 * its own thread only (`--single-threaded-gc`): a parallel scavenge takes every core for its helper
 * threads, the server's included, a stall of the server the twin cannot see.
 */
function forkChild(name: string, args: string[]): ChildProcess {
  const s = benchScript(name);
  return fork(s.file, args, {
    execArgv: name === "_load-generator" ? ["--single-threaded-gc", ...s.execArgv] : s.execArgv,
    serialization: "advanced",
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
}

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) before answering`));
    child.once("exit", onExit);
    child.once("message", (m) => {
      child.off("exit", onExit);
      resolve(m as T);
    });
  });
}

/** What the server child reports: CPU (µs, all threads and main thread) and event-loop busy time (ms). */
interface ServerStats {
  readonly cpuUs: number;
  readonly mainCpuUs: number | null;
  /** Run-queue delay (ns) and time slices of the main thread and of the others (schedstat), or null. */
  readonly sched: { main: [number, number]; others: [number, number] } | null;
  readonly loopActiveMs: number;
  /** The main thread's GC pauses and event-loop delay since the previous message. */
  readonly pauses: PauseReport | null;
}

/** The machine's CPU time in use since boot, all cores (ms; /proc/stat), or null off Linux. */
function machineBusyMs(): number | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
    const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!;
    return (busy * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Linux's USER_HZ (clock ticks per second of /proc/stat). */
const CLOCK_TICKS = 100;

interface ServerChild {
  readonly url: string;
  readonly pid: number;
  cpuUs(): Promise<number>;
  /** CPU time (µs, all threads) and the main thread's event-loop busy time (ms), since start. */
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

/** Server children still running, stopped in measureLoad's `finally` whatever happened. */
const running = new Set<ChildProcess>();

async function startServer(spec: Record<string, unknown>): Promise<ServerChild> {
  const child = forkChild("_load-server", [JSON.stringify(spec)]);
  running.add(child);
  child.once("exit", () => running.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`server child exited (${code}) before listening`)));
  });
  const stats = async () => {
    const p = nextMessage<ServerStats>(child);
    child.send("cpu");
    return p;
  };
  return {
    url,
    pid: child.pid!,
    stats,
    cpuUs: async () => (await stats()).cpuUs,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

class Generator {
  readonly #child = forkChild("_load-generator", []);
  readonly ready = nextMessage<{ ready: true }>(this.#child);
  readonly pid = this.#child.pid!;

  async #ask<R>(m: unknown): Promise<R> {
    const p = nextMessage<{ ok: true; result: R } | { ok: false; message: string }>(this.#child);
    this.#child.send(m as object);
    const a = await p;
    if (!a.ok) throw new Error(`load generator: ${a.message}`);
    return a.result;
  }

  open(plan: OpenLoopPlan): Promise<OpenLoopResult> {
    return this.#ask({ kind: "open", plan });
  }

  closed(plan: ClosedLoopPlan): Promise<ClosedLoopResult> {
    return this.#ask({ kind: "closed", plan });
  }

  stop(): void {
    this.#child.kill("SIGTERM");
  }
}

const JSON_HEADERS = { "content-type": "application/json" };

/** A closed-loop run and the server's CPU per answer over it: all threads, and its main thread. */
interface ClosedWithCpu extends ClosedLoopResult {
  readonly cpuUsPerAnswer: number;
  readonly mainCpuUsPerAnswer: number | null;
}

/** Connections of every closed loop (autocannon). */
const CLOSED_CONNECTIONS = 32;

/**
 * One closed loop of `amount` JSON POSTs to `server`'s `path` (bodies in turn), with the server's
 * CPU per answer over it; logged as `label`.
 */
async function closedWithCpu(
  gen: Generator,
  server: ServerChild,
  label: string,
  path: string,
  bodies: readonly string[],
  amount: number,
): Promise<ClosedWithCpu> {
  const s0 = await server.stats();
  const r = await gen.closed({
    url: server.url,
    method: "POST",
    path,
    headers: JSON_HEADERS,
    bodies,
    amount,
    connections: CLOSED_CONNECTIONS,
  });
  const s1 = await server.stats();
  const answers = Math.max(1, r.ok + r.non2xx);
  const cpuUsPerAnswer = (s1.cpuUs - s0.cpuUs) / answers;
  const mainCpuUsPerAnswer =
    s0.mainCpuUs !== null && s1.mainCpuUs !== null ? (s1.mainCpuUs - s0.mainCpuUs) / answers : null;
  log(
    `${label} closed loop (autocannon, ${CLOSED_CONNECTIONS} connections): ${fmt(r.okPerSecond, 0)} 2xx/s (${r.non2xx} non-2xx); ` +
      `server CPU ${fmt(cpuUsPerAnswer, 1)} µs an answer` +
      (mainCpuUsPerAnswer !== null
        ? ` (main thread ${fmt(mainCpuUsPerAnswer, 1)}, other threads ${fmt(cpuUsPerAnswer - mainCpuUsPerAnswer, 1)})`
        : ""),
  );
  return { ...r, cpuUsPerAnswer, mainCpuUsPerAnswer };
}

/**
 * Answers to `challenges`, each signed by one of the demo cards' keys, as JSON bodies:
 * `{...fields(i), certificate, signature}`.
 */
async function answerBodies(
  pki: TestPki,
  pool: CryptoPool,
  challenges: readonly Uint8Array[],
  fields: (i: number) => Record<string, string>,
): Promise<string[]> {
  const cards = pki.good;
  const keyOf = Uint32Array.from({ length: challenges.length }, (_, i) => i % cards.length);
  const sigs = await signMessages(
    pool,
    "rsa2048",
    cards.map((c) => c.authKeyPkcs8),
    challenges,
    keyOf,
  );
  const certs = cards.map((c) => Buffer.from(c.certificate).toString("base64"));
  return challenges.map((_, i) =>
    JSON.stringify({
      ...fields(i),
      certificate: certs[keyOf[i]!],
      signature: Buffer.from(sigs[i]!).toString("base64"),
    }),
  );
}

/** `n` verify bodies: fresh challenges from the service, answered by the demo cards. */
async function verifyBodies(url: string, pki: TestPki, pool: CryptoPool, n: number): Promise<string[]> {
  const ids: string[] = [];
  const challenges: Uint8Array[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const r = await fetch(`${url}/v1/auth/challenge`, { method: "POST" });
      if (r.status !== 200) throw new Error(`challenge: HTTP ${r.status}`);
      const j = (await r.json()) as { challengeId: string; challenge: string };
      ids.push(j.challengeId);
      challenges.push(new Uint8Array(Buffer.from(j.challenge, "base64")));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return answerBodies(pki, pool, challenges, (i) => ({ challengeId: ids[i]! }));
}

/** `n` bodies for the checks-alone server: random challenges, carried in the body, answered by the demo cards. */
function checksBodies(pki: TestPki, pool: CryptoPool, n: number): Promise<string[]> {
  const challenges = Array.from({ length: n }, () => new Uint8Array(randomBytes(32)));
  return answerBodies(pki, pool, challenges, (i) => ({
    challenge: Buffer.from(challenges[i]!).toString("base64"),
  }));
}

/** The bulk signatures are what the card itself answers: checked on one challenge through the card's APDUs. */
async function checkAgainstCard(pki: TestPki, pool: CryptoPool): Promise<void> {
  const challenge = new Uint8Array(32).map((_, i) => i * 7 + 1);
  const card = pki.good[0]!;
  const [bulk] = await signMessages(pool, "rsa2048", [card.authKeyPkcs8], [challenge]);
  const apdu = card.answer(challenge).signature;
  if (Buffer.compare(Buffer.from(bulk!), Buffer.from(apdu)) !== 0)
    throw new Error("bulk signature differs from the card's COMPUTE DIGITAL SIGNATURE answer");
}

function point(
  target: CurvePoint["target"],
  phase: CurvePoint["phase"],
  r: OpenLoopResult,
  cpuUs: number | null,
  serverPauses: PauseReport | null = null,
  twins: { twin: TwinFigures | null; twinFromSend: TwinFigures | null; twinResampled: TwinFigures | null } = {
    twin: null,
    twinFromSend: null,
    twinResampled: null,
  },
): CurvePoint {
  const other = Object.entries(r.statuses)
    .filter(([s]) => !(s.startsWith("2") || s === "429"))
    .reduce((a, [, c]) => a + c, 0);
  return {
    target,
    phase,
    offeredRate: r.offeredRate,
    achievedRate: Math.round(r.achievedRate),
    requests: r.count,
    ok: r.ok,
    shed: r.shed,
    otherStatus: other,
    errors: r.errors,
    errorCodes: r.errorCodes,
    late: r.late,
    dropped: r.dropped,
    void: r.void,
    voidReason: r.voidReason,
    corrected: r.corrected,
    raw: r.raw,
    cpuMsPer1000: cpuUs === null || r.ok === 0 ? null : cpuUs / 1000 / (r.ok / 1000),
    pauses: { server: stepPauses(serverPauses), generator: stepPauses(r.generatorPauses) },
    ...twins,
  };
}

/**
 * The server kept up with a step: ≥ 97 % of its requests answered 2xx, at ≥ 90 % of the offered
 * rate, p99 (corrected) ≤ {@link KNEE_P99_MS}. A void step (the generator fell behind) still counts when the server
 * kept up — the knee would otherwise be set by the generator — but stays marked void in the curve
 * and is counted in the document's `voidSteps`; figures from such steps are less exact.
 */
const sustained = (r: OpenLoopResult) =>
  r.dropped === 0 &&
  r.ok >= 0.97 * r.count &&
  r.achievedRate >= 0.9 * r.offeredRate &&
  r.corrected.p99 <= KNEE_P99_MS;

const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "–");

function cpuText(c: TwinFigures["inputs"]["cpu"]): string {
  if (!c) return "";
  return (
    `; CPU per request main ${fmt(c.mainCpuMs, 3)} pool ${fmt(c.poolCpuMs, 3)} generator ${fmt(c.generatorCpuMs, 3)} ms` +
    (c.wakeWaitMs
      ? `, wait for a core per time slice main ${fmt(c.wakeWaitMs.main, 3)} pool ${fmt(c.wakeWaitMs.pool, 3)} generator ${fmt(c.wakeWaitMs.generator, 3)} ms`
      : `, other processes ${fmt(c.backgroundCores, 2)} cores`)
  );
}

function pauseInputText(i: TwinFigures["inputs"]): string {
  const one = (name: string, f: TwinFigures["inputs"]["mainPauses"]) =>
    f ? `, ${name} pauses ${f.count} (${fmt(f.totalMs)} ms, longest ${fmt(f.maxMs)} ms)` : "";
  return (
    one("server", i.mainPauses) +
    one("client", i.clientPauses) +
    (i.mainWaits ? `, server waits for a core ${i.mainWaits.count} (${fmt(i.mainWaits.totalMs)} ms)` : "") +
    (i.clientWaits
      ? `, client waits for a core ${i.clientWaits.count} (${fmt(i.clientWaits.totalMs)} ms)`
      : "") +
    (i.mainPauses ? `, ${i.samplesWithPause} split timings under a pause left out` : "")
  );
}

/** ` | server GC minor 12 × (9.1 ms, max 1.2) major … loop p99 … max …` */
function pausesText(who: string, p: StepPauses | null): string {
  if (!p) return "";
  const kinds = (Object.entries(p.gc) as [GcKind, GcSummary][])
    .map(([k, g]) => `${k} ${g.count}× ${fmt(g.totalMs)} ms max ${fmt(g.maxMs)}`)
    .join(", ");
  return ` | ${who} GC ${kinds || "none"}; loop interval p99 ${fmt(p.loopDelay.p99)} max ${fmt(p.loopDelay.max)} ms`;
}

/** A step's connection errors, by code when there are any: `3 (ECONNRESET 2, ETIMEDOUT 1)`. */
const errorsText = (p: CurvePoint): string =>
  p.errors === 0
    ? "0"
    : `${p.errors} (${Object.entries(p.errorCodes)
        .map(([code, n]) => `${code} ${n}`)
        .join(", ")})`;

function describe(p: CurvePoint): string {
  return (
    `${p.target.padEnd(6)} ${p.phase.padEnd(8)} offered ${String(p.offeredRate).padStart(6)}/s achieved ${String(p.achievedRate).padStart(6)}/s ` +
    `ok ${p.ok} 429 ${p.shed} other ${p.otherStatus} err ${errorsText(p)} | corrected p50 ${fmt(p.corrected.p50)} p99 ${fmt(p.corrected.p99)} max ${fmt(p.corrected.max)} ms | ` +
    `raw p50 ${fmt(p.raw.p50)} p99 ${fmt(p.raw.p99)} ms` +
    (p.cpuMsPer1000 !== null ? ` | cpu ${fmt(p.cpuMsPer1000, 0)} ms/1000` : "") +
    (p.twin
      ? ` | twin p50 ${fmt(p.twin.p50)} p99 ${fmt(p.twin.p99)} ms (main ${fmt(100 * p.twin.mainUtilisation, 0)} %, pool ${fmt(100 * p.twin.poolUtilisation, 0)} %; ` +
        `pre ${fmt(p.twin.inputs.preP50, 3)} verify ${fmt(p.twin.inputs.verifyP50, 3)} post ${fmt(p.twin.inputs.postP50, 3)} hops ${fmt(p.twin.inputs.hopToP50, 3)} + ${fmt(p.twin.inputs.hopBackP50, 3)} http ${fmt(p.twin.inputs.mainHttpMs, 3)} off-path ${fmt(p.twin.inputs.mainAfterMs, 3)} ms` +
        cpuText(p.twin.inputs.cpu) +
        pauseInputText(p.twin.inputs) +
        ")"
      : "") +
    (p.twinResampled
      ? ` | resampled p50 ${fmt(p.twinResampled.p50)} p99 ${fmt(p.twinResampled.p99)} ms`
      : "") +
    (p.twinFromSend
      ? ` | from the send p50 ${fmt(p.twinFromSend.p50)} p99 ${fmt(p.twinFromSend.p99)} ms`
      : "") +
    pausesText("server", p.pauses.server) +
    pausesText("generator", p.pauses.generator) +
    (p.void ? ` | VOID: ${p.voidReason}` : p.late > 0 ? ` | late ${p.late}` : "")
  );
}

/** The whole benchmark; returns the results and the curve. */
export async function measureLoad(s: Settings): Promise<{ results: BenchResult[]; curve: CurvePoint[] }> {
  const curve: CurvePoint[] = [];
  const work = mkdtempSync(join(tmpdir(), "myna-bench-load-"));
  const pool = new CryptoPool({ threads: 2 });
  const gen = new Generator();
  let pkiDir: string | undefined;
  try {
    log("load: demo PKI (8 cards, key cache) …");
    const pki = await makeTestPki(8, Date.now(), CRL_FILLER);
    pkiDir = pki.dir;
    await checkAgainstCard(pki, pool);
    await gen.ready;
    const svc = await startServer({
      mode: "service",
      pkiDir: pki.dir,
      threads: s.threads,
      log: join(work, "serve.log"),
    });
    let sampleBody = "";
    const verifyStep = async (rate: number, seconds: number, recordWaits = false) => {
      const count = Math.max(1, Math.round(rate * seconds));
      const bodies = await verifyBodies(svc.url, pki, pool, count);
      sampleBody ||= bodies[0]!;
      const s0 = await svc.stats();
      const m0 = machineBusyMs();
      const w0 = performance.now();
      // Twin steps: when the service's main thread and the generator's waited for a core.
      const recorder = recordWaits
        ? startRunQueueRecorder([mainThreadSchedstat(svc.pid), mainThreadSchedstat(gen.pid)])
        : null;
      const r = await gen.open({
        url: svc.url,
        rate,
        count,
        method: "POST",
        path: "/v1/auth/verify",
        headers: JSON_HEADERS,
        bodies,
        serverTimingSamples: count,
      });
      const [mainWaits, clientWaits] = recorder?.stop() ?? [null, null];
      const m1 = machineBusyMs();
      const wallMs = performance.now() - w0;
      const s1 = await svc.stats();
      const stepCpu: StepCpu = {
        serverMs: (s1.cpuUs - s0.cpuUs) / 1000,
        serverMainMs:
          s1.mainCpuUs !== null && s0.mainCpuUs !== null ? (s1.mainCpuUs - s0.mainCpuUs) / 1000 : null,
        generatorMs: (r.generatorCpuUs ?? 0) / 1000,
        machineMs: m0 !== null && m1 !== null ? m1 - m0 : null,
        wallMs,
        cores: os.availableParallelism(),
        generatorNiced: r.priorityRaised === true,
        runQueue:
          s0.sched && s1.sched && r.generatorRunQueue
            ? {
                main: [s1.sched.main[0] - s0.sched.main[0], s1.sched.main[1] - s0.sched.main[1]],
                pool: [s1.sched.others[0] - s0.sched.others[0], s1.sched.others[1] - s0.sched.others[1]],
                generator: r.generatorRunQueue,
              }
            : null,
      };
      return {
        r,
        cpu: s1.cpuUs - s0.cpuUs,
        loopActiveMs: s1.loopActiveMs - s0.loopActiveMs,
        stepCpu,
        pauses: s1.pauses,
        waits: recorder ? { main: mainWaits ?? null, client: clientWaits ?? null } : null,
      };
    };
    // Warm-up: pool threads, JIT, connections.
    await verifyStep(s.startRate / 2, 1);

    const { knee, offered: kneeOffered } = await searchKnee(s.startRate, s.maxSteps, async (rate) => {
      let { r, cpu, pauses } = await verifyStep(rate, s.seconds);
      if (r.void) {
        // A generator hiccup on a shared machine: the step is void; measure it once more.
        curve.push(point("verify", "search", r, cpu, pauses));
        log(describe(curve[curve.length - 1]!));
        ({ r, cpu, pauses } = await verifyStep(rate, s.seconds));
      }
      const p = point("verify", "search", r, cpu, pauses);
      curve.push(p);
      log(describe(p));
      return { sustained: sustained(r), achieved: r.achievedRate };
    });
    if (knee === 0)
      throw new BenchFailure(
        `the service sustained none of the offered loads (from ${s.startRate}/s; load average ${os.loadavg()[0]!.toFixed(1)}): nothing to report`,
      );

    // Twin against live at 30 / 50 / 80 % of the knee: measured now, predicted once the bare
    // server has measured node:http's own work per request (below).
    const twinSteps: {
      share: number;
      rate: number;
      r: OpenLoopResult;
      cpu: number;
      loopActiveMs: number;
      stepCpu: StepCpu;
      pauses: PauseReport | null;
      waits: StepWaits | null;
      index: number;
    }[] = [];
    for (const share of [0.3, 0.5, 0.8]) {
      const rate = Math.max(1, Math.round(knee * share));
      // Longer than a search step (by default three times): a p99 rests on its 1 % slowest requests.
      const { r, cpu, loopActiveMs, stepCpu, pauses, waits } = await verifyStep(rate, s.twinSeconds, true);
      const p = point("verify", "twin", r, cpu, pauses);
      twinSteps.push({ share, rate, r, cpu, loopActiveMs, stepCpu, pauses, waits, index: curve.length });
      curve.push(p);
      log(describe(p));
    }
    // The same three loads again, after all three: a step the twin has not seen (it predicts from
    // the first), and how far a measured p99 moves from one step to the next at one load.
    const repeats: { share: number; rate: number; r: OpenLoopResult; p: CurvePoint }[] = [];
    for (const { share, rate } of twinSteps) {
      const { r, cpu, pauses } = await verifyStep(rate, s.twinSeconds);
      const p = point("verify", "repeat", r, cpu, pauses);
      repeats.push({ share, rate, r, p });
      curve.push(p);
      log(describe(p));
    }
    // Overload at 10× the knee, then recovery at 50 %.
    const over = await verifyStep(Math.round(knee * 10), s.quick ? 0.5 : 1);
    const overP = point("verify", "overload", over.r, over.cpu, over.pauses);
    curve.push(overP);
    log(describe(overP));
    const rec = await verifyStep(Math.round(knee * 0.5), s.seconds);
    const recP = point("verify", "recovery", rec.r, rec.cpu, rec.pauses);
    curve.push(recP);
    log(describe(recP));

    // CRL downloads under concurrency (issue 11 item 4): GET /v1/crl/auth/full, rising loads.
    const crlBytes = (await (await fetch(`${svc.url}/v1/crl/auth/full`)).arrayBuffer()).byteLength;
    const downloadSearch = async (target: "crl" | "bare-crl", url: string, cpuUs: () => Promise<number>) => {
      let best = 0;
      let limited = false;
      for (let k = 0, rate = 100; k < s.maxSteps; k++, rate = Math.round(rate * 1.5)) {
        let r: OpenLoopResult | undefined;
        for (let attempt = 0; attempt < 2 && (r === undefined || r.void); attempt++) {
          const c0 = await cpuUs();
          r = await gen.open({
            url,
            rate,
            count: Math.round(rate * s.seconds),
            method: "GET",
            path: "/v1/crl/auth/full",
            headers: {},
            bodies: null,
          });
          const p = point(target, "search", r, (await cpuUs()) - c0);
          curve.push(p);
          log(`${describe(p)} | ${fmt((r.achievedRate * crlBytes) / 1e6)} MB/s`);
        }
        if (!sustained(r!)) {
          limited = r!.void;
          break;
        }
        best = Math.max(best, r!.achievedRate);
      }
      return { best, limited };
    };
    const crlDownloads = await downloadSearch("crl", svc.url, () => svc.cpuUs());

    // Both closed loops answer the same number of requests (one-time challenges: one body each here).
    const closedAmount = s.quick ? 2000 : 20000;
    const closedVerify = await closedWithCpu(
      gen,
      svc,
      "verify",
      "/v1/auth/verify",
      await verifyBodies(svc.url, pki, pool, closedAmount),
      closedAmount,
    );
    await svc.stop();

    // The ceiling: the same checks alone, in one thread of a bare node:http server.
    const checksServer = await startServer({ mode: "checks", pkiDir: pki.dir });
    const closedChecks = await closedWithCpu(
      gen,
      checksServer,
      "checks-alone",
      "/",
      await checksBodies(pki, pool, closedAmount),
      closedAmount,
    );
    await checksServer.stop();

    // Reference: bare node:http, same bodies, fixed answer of the service's size.
    const bareBody = JSON.stringify({ result: "ok", serial: "0".repeat(32) });
    const bare = await startServer({ mode: "bare", body: bareBody });
    let bareLowerBound = false;
    let bareFailedAt = 0;
    let bareLoopMs = 0;
    let bareAnswered = 0;
    const bareStep = async (rate: number) => {
      const s0 = await bare.stats();
      const r = await gen.open({
        url: bare.url,
        rate,
        count: Math.round(rate * s.seconds),
        method: "POST",
        path: "/v1/auth/verify",
        headers: JSON_HEADERS,
        bodies: [sampleBody],
      });
      const s1 = await bare.stats();
      const p = point("bare", "search", r, s1.cpuUs - s0.cpuUs, s1.pauses);
      curve.push(p);
      log(describe(p));
      // node:http's own main-thread work per request, from the steps at the service's rates that kept up.
      if (rate <= knee && sustained(r)) {
        bareLoopMs += s1.loopActiveMs - s0.loopActiveMs;
        bareAnswered += r.sent - r.errors;
      }
      return r;
    };
    const { knee: bareKnee } = await searchKnee(s.bareStartRate, s.maxSteps, async (rate) => {
      let r = await bareStep(rate);
      if (r.void) r = await bareStep(rate);
      const kept = sustained(r);
      // The lowest rate not kept up with bounds the knee: when it was void, the generator fell behind.
      if (!kept && (bareFailedAt === 0 || rate < bareFailedAt)) {
        bareFailedAt = rate;
        bareLowerBound = r.void;
      }
      return { sustained: kept, achieved: r.achievedRate };
    });
    const closedBare = await closedWithCpu(gen, bare, "bare", "/v1/auth/verify", [sampleBody], closedAmount);
    await bare.stop();

    // The twin at each twin step, from that step's measured times and pauses.
    const httpMs = bareAnswered > 0 ? bareLoopMs / bareAnswered : 0;
    log(
      `twin: node:http's own main-thread work ${fmt(httpMs, 3)} ms per request (bare server, ${bareAnswered} requests)`,
    );
    // Each with its repeat's measured latency (`repeats` is in the order of `twinSteps`).
    const twin: { share: number; p: CurvePoint; again: LatencySummary }[] = [];
    for (const [i, t] of twinSteps.entries()) {
      // The target: measured segments as a trace, main-thread pauses and waits for a core (server
      // and client), send lags.
      const main: MeasuredTwinInput | null = twinInputOf(
        t.r,
        t.loopActiveMs,
        s.threads,
        httpMs,
        t.stepCpu,
        t.pauses,
        t.waits,
      );
      const p = point("verify", "twin", t.r, t.cpu, t.pauses, {
        twin: main && runTwin(t.rate, main, s.twinSeconds),
        // Against raw: latency from the actual send.
        twinFromSend: main && runTwin(t.rate, { ...main, fromSend: true }, s.twinSeconds),
        // The segments as independent draws: what the twin assumes where it has no trace.
        twinResampled: main && runTwin(t.rate, { ...main, trace: undefined }, s.twinSeconds),
      });
      curve[t.index] = p;
      twin.push({ share: t.share, p, again: repeats[i]!.p.corrected });
      log(describe(p));
    }
    if (s.twinDump)
      writeFileSync(
        s.twinDump,
        JSON.stringify({
          httpMs,
          threads: s.threads,
          seconds: s.seconds,
          twinSeconds: s.twinSeconds,
          steps: twinSteps,
          repeats: repeats.map(({ share, rate, r }) => ({ share, rate, r })),
        }),
      );
    const bareCrl = await startServer({ mode: "bare", bodyBytes: crlBytes });
    const bareDownloads = await downloadSearch("bare-crl", bareCrl.url, () => bareCrl.cpuUs());
    await bareCrl.stop();
    // Why the bare knee is only a lower bound, if it is: the generator fell behind on the lowest
    // rate not kept up with, or the ladder's last step was kept up with (the search stopped there).
    const bareBound =
      bareKnee === 0
        ? null
        : bareLowerBound
          ? "generator-limited"
          : bareFailedAt === 0
            ? "the search's last step kept up"
            : null;
    if (bareBound) log(`bare: its knee is a lower bound (${bareBound}), and ours over it an upper bound`);

    const q = s.quick;
    const at80 = twin.find((t) => t.share === 0.8)!.p;
    const results: BenchResult[] = [
      makeResult(
        {
          name: "load.verify.knee",
          unit: "verifications/s",
          value: Math.round(knee),
          higherIsBetter: true,
          reference:
            bareKnee > 0
              ? {
                  name: `bare node:http, open loop${bareBound ? ` (lower bound: ${bareBound})` : ""}`,
                  value: Math.round(bareKnee),
                }
              : null,
          // A ratio over a lower bound is an upper bound: not graded (the closed loop's is).
          target: bareKnee > 0 && bareBound === null ? 0.4 : null,
        },
        q,
      ),
      makeResult(
        {
          name: "load.verify.p99At80pctKnee.corrected",
          unit: "ms",
          value: at80.corrected.p99,
          higherIsBetter: false,
          target: 50,
        },
        q,
      ),
      makeResult(
        { name: "load.verify.p99At80pctKnee.raw", unit: "ms", value: at80.raw.p99, higherIsBetter: false },
        q,
      ),
      makeResult(
        {
          name: "load.verify.p50At80pctKnee.corrected",
          unit: "ms",
          value: at80.corrected.p50,
          higherIsBetter: false,
        },
        q,
      ),
      makeResult(
        {
          name: "load.verify.cpuPer1000",
          unit: "CPU ms",
          value: at80.cpuMsPer1000 ?? NaN,
          higherIsBetter: false,
        },
        q,
      ),
      makeResult(
        {
          name: "load.verify.closedLoop",
          unit: "verifications/s",
          value: Math.round(closedVerify.okPerSecond),
          higherIsBetter: true,
          reference: {
            name: "bare node:http, autocannon 32 connections",
            value: Math.round(closedBare.okPerSecond),
          },
          target: 0.4,
        },
        q,
      ),
      // How far the ratio can go: the same checks with nothing else, in a bare server's one thread.
      makeResult(
        {
          name: "load.verify.closedLoop.vsChecksAlone",
          unit: "verifications/s",
          value: Math.round(closedVerify.okPerSecond),
          higherIsBetter: true,
          reference: {
            name: "bare node:http doing only auth-check.ts in its one thread, same closed loop",
            value: Math.round(closedChecks.okPerSecond),
          },
        },
        q,
      ),
      makeResult(
        {
          name: "load.verify.checksAlone.cpuPerAnswer",
          unit: "CPU µs",
          value: closedChecks.cpuUsPerAnswer,
          higherIsBetter: false,
        },
        q,
      ),
      // Why the closed loop's ratio is what it is: the server's CPU per answer, ours against bare.
      makeResult(
        {
          name: "load.verify.closedLoop.cpuPerAnswer",
          unit: "CPU µs",
          value: closedVerify.cpuUsPerAnswer,
          higherIsBetter: false,
          reference: { name: "bare node:http, same closed loop", value: closedBare.cpuUsPerAnswer },
        },
        q,
      ),
      ...(closedVerify.mainCpuUsPerAnswer !== null
        ? [
            makeResult(
              {
                name: "load.verify.closedLoop.cpuPerAnswer.mainThread",
                unit: "CPU µs",
                value: closedVerify.mainCpuUsPerAnswer,
                higherIsBetter: false,
              },
              q,
            ),
          ]
        : []),
      makeResult(
        {
          name: "load.verify.overload10x.shedShare",
          unit: "%",
          value: (100 * overP.shed) / Math.max(1, overP.requests),
          higherIsBetter: true,
        },
        q,
      ),
      makeResult(
        {
          name: "load.verify.overload10x.acceptedP99",
          unit: "ms",
          value: overP.corrected.p99,
          higherIsBetter: false,
        },
        q,
      ),
      // From the actual send: at 10× the knee the generator falls behind its schedule (the step is
      // void), and the corrected figure above holds its lateness; this one is the service's.
      makeResult(
        {
          name: "load.verify.overload10x.acceptedP99.raw",
          unit: "ms",
          value: overP.raw.p99,
          higherIsBetter: false,
        },
        q,
      ),
      makeResult(
        { name: "load.verify.recovery.p99", unit: "ms", value: recP.corrected.p99, higherIsBetter: false },
        q,
      ),
      makeResult(
        {
          name: "load.crl.download.knee",
          unit: `downloads/s of ${Math.round(crlBytes / 1024)} KiB`,
          value: Math.round(crlDownloads.best),
          higherIsBetter: true,
          reference:
            bareDownloads.best > 0
              ? {
                  name: `bare node:http, same bytes${bareDownloads.limited ? " (lower bound: generator-limited)" : ""}`,
                  value: Math.round(bareDownloads.best),
                }
              : null,
        },
        q,
      ),
      makeResult(
        { name: "load.bare.knee", unit: "requests/s", value: Math.round(bareKnee), higherIsBetter: true },
        q,
      ),
    ];
    for (const t of twin)
      for (const [label, pred, measured] of [
        ["twin.", t.p.twin, t.p.corrected],
        ["twin.fromSendVsRaw.", t.p.twinFromSend, t.p.raw],
        ["twin.resampled.", t.p.twinResampled, t.p.corrected],
        // Out of sample: the twin of the first step against the repeat, which it has not seen …
        ["twin.outOfSample.", t.p.twin, t.again],
        ["twin.resampled.outOfSample.", t.p.twinResampled, t.again],
        // … and, to beat, the first step's own measurement taken as the repeat's prediction.
        ["repeat.", t.p.corrected, t.again],
      ] as const)
        if (pred)
          for (const pct of ["p50", "p99"] as const)
            results.push(
              makeResult(
                {
                  name: `load.${label}${pct}Error.${Math.round(t.share * 100)}pctKnee`,
                  unit: "%",
                  value: (100 * Math.abs(pred[pct] - measured[pct])) / measured[pct],
                  higherIsBetter: false,
                  target: pct === "p99" && label === "twin." ? 20 : null,
                },
                q,
              ),
            );
    log(`knee ${Math.round(knee)}/s at offered ${kneeOffered}/s; bare ${Math.round(bareKnee)}/s`);
    log("twin against live (ms; error = |predicted − measured| / measured):");
    const err = (a: number, b: number) => `${fmt((100 * Math.abs(a - b)) / b, 0)} %`;
    for (const { share, p, again } of twin) {
      if (p.twin && p.twinFromSend)
        log(
          `  ${Math.round(share * 100)} % (${p.offeredRate}/s): measured corrected p50 ${fmt(p.corrected.p50, 2)} p99 ${fmt(p.corrected.p99, 2)}` +
            ` | twin p50 ${fmt(p.twin.p50, 2)} (${err(p.twin.p50, p.corrected.p50)}) p99 ${fmt(p.twin.p99, 2)} (${err(p.twin.p99, p.corrected.p99)})` +
            ` || measured raw p50 ${fmt(p.raw.p50, 2)} p99 ${fmt(p.raw.p99, 2)} | twin from the send p50 ${fmt(p.twinFromSend.p50, 2)} (${err(p.twinFromSend.p50, p.raw.p50)}) p99 ${fmt(p.twinFromSend.p99, 2)} (${err(p.twinFromSend.p99, p.raw.p99)})`,
        );
      if (p.twin)
        log(
          `    repeated: measured corrected p50 ${fmt(again.p50, 2)} p99 ${fmt(again.p99, 2)} | twin of the first step p99 ${fmt(p.twin.p99, 2)} (${err(p.twin.p99, again.p99)})` +
            ` | the first step's measured p99 (${err(p.corrected.p99, again.p99)})`,
        );
    }
    return {
      // A figure that could not be measured (no 2xx answer in its step) is left out, not written as NaN.
      results: results
        .filter((r) => Number.isFinite(r.value))
        .map((r) => ({ ...r, value: Number(r.value.toFixed(3)) })),
      curve,
    };
  } finally {
    for (const c of running) c.kill("SIGTERM");
    gen.stop();
    await pool.destroy();
    rmSync(work, { recursive: true, force: true });
    if (pkiDir) rmSync(pkiDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  try {
    const options = parseBenchArgs(process.argv.slice(2), [
      "--threads=",
      "--seconds=",
      "--twin-seconds=",
      "--hub-only",
      "--twin-dump=",
    ]);
    const settings = settingsOf(options.rest, options.quick);
    const machine = machineInfo();
    const { results, curve } = options.rest.includes("--hub-only")
      ? { results: [], curve: [] }
      : await measureLoad(settings);
    // The provision hub (issue 12 item 7): bench/_load-hub.ts; `--hub-only` runs it alone.
    const hub = await measureHub(hubSettingsOf(settings), {
      generator: () => new Generator(),
      startBare: startServer,
    });
    const voidSteps = curve.filter((p) => p.void).length;
    const doc = {
      ...benchDocument([...results, ...hub.results], machine),
      settings,
      voidSteps,
      curve,
      hubCurve: hub.curve,
    };
    if (voidSteps > 0)
      log(
        `${voidSteps} of ${curve.length} steps are void (the generator fell behind its schedule; see curve[].voidReason)`,
      );
    if (options.json) {
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      log(resultTable(doc.results));
    } else {
      process.stdout.write(`${resultTable(doc.results)}\n`);
      for (const p of curve) process.stdout.write(`${describe(p)}\n`);
      for (const p of hub.curve) process.stdout.write(`${describeHub(p)}\n`);
    }
  } catch (e) {
    if (e instanceof BenchFailure) {
      process.stderr.write(`bench: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    if (!isInputError(e)) throw e;
    process.stderr.write(`bench: ${e.message}\n`);
    process.exitCode = 2;
  }
}

if (isMain(import.meta.url)) await main();
