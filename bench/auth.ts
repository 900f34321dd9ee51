/**
 * The authentication model's scale targets (issue 10 item 3): the busiest day of 2025 run request by
 * request (every authentication of that day, cards in circulation from the official series, FACTS
 * §4.1) in ≤ 30 s, and the whole of 2025 as the hourly fluid model in ≤ 10 s, on the verification
 * path of scenarios/auth-peak.yaml's defaults with service times measured here with real crypto.
 * No other implementation does the same work, so these are plain figures (no reference, no ratio).
 * Wall and CPU time are both given (the machine is shared). `--quick` runs the day's peak hour only.
 * Usage: `npm run -s bench:auth -- [--json] [--quick]`.
 * @module
 */
import { formatIsoDate, parseIsoDate } from "../engine/calendar.js";
import { baseSample, fluidHours } from "../sim/auth/fluid.js";
import { dailyVolumes, hourlyVolumes, officialCards } from "../sim/auth/load-model.js";
import { simulatePath } from "../sim/auth/network.js";
import { AUTH_DEFAULTS } from "../sim/auth/params.js";
import { pathConfig } from "../sim/auth/run-auth.js";
import { measureServiceTimes } from "../sim/auth/service-times.js";
import { cpuClockMs } from "./_cpu-clock.js";
import { isMain, log, makeResult, runBenchmark, type Measurement } from "./_shared.js";

export const authMeasurements: Measurement = async (options) => {
  const q = options.quick;
  const p = AUTH_DEFAULTS;
  const cfg = pathConfig(p, measureServiceTimes({ samples: 400 }));
  const first = parseIsoDate("2025-01-01");
  let busiest = first;
  let most = 0;
  for (let d = first; d < first + 365; d++) {
    const t = dailyVolumes(d, officialCards(d), p).reduce((a, b) => a + b, 0);
    if (t > most) {
      most = t;
      busiest = d;
    }
  }
  const hourly = hourlyVolumes(busiest, officialCards(busiest), p);
  const input: number[] = q ? [Math.max(...hourly)] : [...hourly];
  log(
    `auth: ${formatIsoDate(busiest)}, ${Math.round(input.reduce((a, b) => a + b, 0)).toLocaleString("en-US")} expected requests…`,
  );
  const w0 = performance.now();
  const c0 = cpuClockMs();
  const r = simulatePath({ expectedPerHour: input, config: cfg, seed: 1, stream: busiest });
  const dayCpu = (cpuClockMs() - c0) / 1000;
  const dayWall = (performance.now() - w0) / 1000;
  log(`auth: ${r.arrivals} requests, ${r.eventsProcessed} events; the year, hourly…`);
  const w1 = performance.now();
  const c1 = cpuClockMs();
  const hours: number[] = [];
  for (let d = first; d < first + 365; d++)
    for (const x of hourlyVolumes(d, officialCards(d), p)) hours.push(x);
  const fl = fluidHours(hours, cfg, baseSample(cfg, 1));
  const yearCpu = (cpuClockMs() - c1) / 1000;
  const yearWall = (performance.now() - w1) / 1000;
  if (fl.length !== 8760) throw new Error("auth bench: expected 8,760 hours");
  const what = q ? "peak hour" : "peak day";
  return [
    makeResult(
      {
        name: `auth ${what} ${formatIsoDate(busiest)}, request by request (${r.arrivals.toLocaleString("en-US")} requests), wall`,
        unit: "s",
        value: Number(dayWall.toFixed(2)),
        higherIsBetter: false,
        target: q ? null : 30,
      },
      q,
    ),
    makeResult(
      {
        name: `auth ${what}, request by request, CPU`,
        unit: "s CPU",
        value: Number(dayCpu.toFixed(2)),
        higherIsBetter: false,
        target: null,
      },
      q,
    ),
    makeResult(
      {
        name: `auth ${what}, request-level throughput`,
        unit: "requests/s CPU",
        value: Math.round(r.arrivals / dayCpu),
        higherIsBetter: true,
        target: null,
      },
      q,
    ),
    makeResult(
      {
        name: "auth year 2025, hourly fluid model (8,760 hours), wall",
        unit: "s",
        value: Number(yearWall.toFixed(2)),
        higherIsBetter: false,
        target: 10,
      },
      q,
    ),
    makeResult(
      {
        name: "auth year 2025, hourly fluid model, CPU",
        unit: "s CPU",
        value: Number(yearCpu.toFixed(2)),
        higherIsBetter: false,
        target: null,
      },
      q,
    ),
  ];
};

if (isMain(import.meta.url)) await runBenchmark([authMeasurements]);
