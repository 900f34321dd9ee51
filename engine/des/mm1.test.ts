/**
 * The classic M/M/1 queue against queueing theory: Poisson arrivals (rate λ), one server with
 * exponential service (rate μ). Theory: utilisation ρ = λ/μ, mean time in system W = 1/(μ−λ),
 * mean wait Wq = ρ/(μ−λ), mean number in system L = ρ/(1−ρ) = λW (Little's law). The randomness is a
 * tiny local seeded generator, so the run — and the test — is deterministic.
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random/small-prng.js";
import { Environment, Resource } from "./index.js";
import type { ProcessGenerator } from "./index.js";

function simulate(seed: number, lambda: number, mu: number, customers: number) {
  const rnd = mulberry32(seed);
  const exp = (rate: number): number => -Math.log(1 - rnd()) / rate;
  const env = new Environment();
  const server = new Resource(env, 1);
  let totalSystem = 0;
  let totalWait = 0;
  let done = 0;

  // Observer outside the kernel: time-weighted busy servers and number in system.
  let last = 0;
  let busyArea = 0;
  let inSystemArea = 0;
  env.onStep((now) => {
    const dt = now - last;
    busyArea += server.count * dt;
    inSystemArea += (server.count + server.queueLength) * dt;
    last = now;
  });

  function* customer(): ProcessGenerator {
    const arrived = env.now;
    const req = server.request();
    yield req;
    totalWait += env.now - arrived;
    yield env.timeout(exp(mu));
    server.release(req);
    totalSystem += env.now - arrived;
    done++;
  }
  env.process(function* source() {
    for (let i = 0; i < customers; i++) {
      yield env.timeout(exp(lambda));
      env.process(customer());
    }
  });
  env.run();
  const horizon = env.now;
  return {
    W: totalSystem / done,
    Wq: totalWait / done,
    rho: busyArea / horizon,
    L: inSystemArea / horizon,
    throughput: done / horizon,
    events: env.eventsProcessed,
  };
}

describe("M/M/1 against theory", () => {
  const lambda = 0.6;
  const mu = 1;
  const rho = lambda / mu;
  const r = simulate(20240401, lambda, mu, 60_000);

  it("utilisation ≈ ρ", () => {
    expect(r.rho).toBeGreaterThan(rho * 0.97);
    expect(r.rho).toBeLessThan(rho * 1.03);
  });

  it("mean time in system ≈ 1/(μ−λ) and mean wait ≈ ρ/(μ−λ)", () => {
    const W = 1 / (mu - lambda);
    const Wq = rho / (mu - lambda);
    expect(Math.abs(r.W - W) / W).toBeLessThan(0.06);
    expect(Math.abs(r.Wq - Wq) / Wq).toBeLessThan(0.08);
  });

  it("Little's law holds on the simulated path: L = throughput · W", () => {
    expect(Math.abs(r.L - r.throughput * r.W) / r.L).toBeLessThan(0.01);
    expect(Math.abs(r.L - rho / (1 - rho)) / (rho / (1 - rho))).toBeLessThan(0.08);
  });

  it("is deterministic: same seed, same numbers, same event count", () => {
    const again = simulate(20240401, lambda, mu, 5_000);
    const again2 = simulate(20240401, lambda, mu, 5_000);
    expect(again2).toEqual(again);
  });
});
