/**
 * Child process of bench/load.ts: the server under load, alone in its process so its CPU time is
 * measured apart from the generator's. `argv[2]` is a JSON spec: `{"mode": "service", "pkiDir",
 * "threads", "log"}` starts `myna-twin serve`'s service (sim/services/service.ts, request log to a
 * file as in production; admission 64 in flight, 128 queued, 250 ms longest wait); `{"mode": "bare", "body"}` (or `"bodyBytes": N`) starts the reference — a bare node:http server
 * that reads the request and answers a fixed JSON body; `{"mode": "checks", "pkiDir"}` starts the
 * throughput ceiling — a bare node:http server that does, in its one thread, only the checks of
 * sim/services/auth-check.ts on bodies that carry their challenge (`{"challenge", "certificate",
 * "signature"}`, base64): JSON, base64, certificate parse, the root's and the card's RSA verifies;
 * no challenge store, revocation, admission, logs, metrics or pool. Prints `listening on URL`; answers the IPC
 * message "cpu" with this process's CPU time (all threads, µs), its main thread's CPU time (µs, from
 * /proc: what the twin's main thread is given as its CPU demand) and its main thread's event-loop
 * busy time since start (`performance.eventLoopUtilization().active`, ms: what the twin's main-thread
 * station is given beyond the handler's own split), and its main thread's pauses since the previous
 * message (`pauses`: every GC pause and the event-loop delay, bench/_load-pauses.ts); SIGTERM drains
 * and exits.
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { fileSink, ServiceLogger } from "../sim/services/request-log.js";
import { startPauseRecorder } from "./_load-pauses.js";
import { startService } from "../sim/services/service.js";
import { checkAuthAnswer, trustAnchorOf } from "../sim/services/auth-check.js";
import { serialHex } from "../sim/services/auth-routes.js";

interface Spec {
  readonly mode: "service" | "bare" | "checks";
  readonly pkiDir?: string;
  readonly threads?: number;
  readonly log?: string;
  readonly body?: string;
  /** A fixed body of this many bytes instead of `body` (the CRL download reference). */
  readonly bodyBytes?: number;
}

/** Linux's USER_HZ (clock ticks per second of /proc's CPU times; 100 on every mainstream build). */
const CLOCK_TICKS = 100;

const spec = JSON.parse(process.argv[2] ?? "{}") as Spec;
const pauses = startPauseRecorder();
let stop: () => Promise<void>;
let url: string;

if (spec.mode === "service") {
  const logger = new ServiceLogger(fileSink(spec.log!));
  const s = await startService({
    pkiDir: spec.pkiDir!,
    logger,
    threads: spec.threads,
    maxInFlight: 64,
    queue: 128,
    queueTimeoutMs: 250,
    challengeTtlMs: 3_600_000,
    maxChallenges: 2_000_000,
  });
  url = s.url;
  stop = async () => {
    await s.close();
    await logger.sink.close();
  };
} else {
  const answer = (res: ServerResponse, status: number, body: Buffer) => {
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": body.length,
    });
    res.end(body);
  };
  let handle: (req: IncomingMessage, res: ServerResponse) => void;
  if (spec.mode === "checks") {
    const anchor = trustAnchorOf(new Uint8Array(readFileSync(join(spec.pkiDir!, "auth-root.der"))));
    const b64 = (v: unknown) => new Uint8Array(Buffer.from(String(v), "base64"));
    handle = (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let r;
        try {
          const j = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
          r = checkAuthAnswer(anchor, b64(j.certificate), b64(j.challenge), b64(j.signature), Date.now());
        } catch {
          answer(res, 400, Buffer.from('{"error":"bad_request"}'));
          return;
        }
        if (r.outcome === "ok")
          answer(res, 200, Buffer.from(JSON.stringify({ result: "ok", serial: serialHex(r.serial) })));
        else answer(res, 400, Buffer.from(JSON.stringify({ error: r.outcome, message: r.detail })));
      });
    };
  } else {
    const body =
      spec.bodyBytes !== undefined
        ? Buffer.alloc(spec.bodyBytes, 0x30)
        : Buffer.from(spec.body ?? '{"result":"ok"}');
    handle = (req, res) => {
      req.on("data", () => undefined);
      req.on("end", () => answer(res, 200, body));
    };
  }
  const server = createServer(handle);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stop = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
}

/** CPU time of this process's main thread (µs; Linux `/proc/self/task/PID/stat`, clock ticks), or null elsewhere. */
function mainThreadCpuUs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/**
 * Run-queue delay (ns waiting for a core) and time slices of this process's threads, from /proc's
 * schedstat: the main thread and the rest (pool workers and Node's helper threads); null elsewhere.
 */
function schedStats(): { main: [number, number]; others: [number, number] } | null {
  try {
    const dir = `/proc/self/task`;
    const out = { main: [0, 0] as [number, number], others: [0, 0] as [number, number] };
    for (const tid of readdirSync(dir)) {
      const f = readFileSync(`${dir}/${tid}/schedstat`, "utf8").trim().split(" ").map(Number);
      const into = Number(tid) === process.pid ? out.main : out.others;
      into[0] += f[1]!;
      into[1] += f[2]!;
    }
    return out;
  } catch {
    return null;
  }
}

process.on("message", (m) => {
  if (m === "cpu") {
    const c = process.cpuUsage();
    process.send!({
      cpuUs: c.user + c.system,
      mainCpuUs: mainThreadCpuUs(),
      sched: schedStats(),
      loopActiveMs: performance.eventLoopUtilization().active,
      pauses: pauses.take(),
    });
  }
});
// The orchestrator is gone (crashed or killed): do not linger.
process.on("disconnect", () => process.exit(0));
process.once("SIGTERM", () => {
  void stop().then(() => process.exit(0));
});
process.stdout.write(`listening on ${url}\n`);
