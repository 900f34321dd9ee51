/**
 * Test support: a small, schema-valid auth section of summary.json for the format, report and
 * dashboard tests (not written by any run).
 * @module
 */
import type { AuthSummary } from "./auth.js";

const q = Array.from({ length: 21 }, (_, i) => 0.2 + i * 0.01);
const hours = Array.from({ length: 24 }, (_, hour) => ({
  hour,
  arrivals: 1000,
  requestP50Ms: 35,
  requestP99Ms: 80,
  fluidP50Ms: 34,
  fluidP99Ms: 82,
}));
const day = {
  date: "2025-12-22",
  cards: 99_000_000,
  requests: 24_000,
  completed: 24_000,
  failed: 0,
  retries: 0,
  p50Ms: 35,
  p90Ms: 54,
  p99Ms: 80,
  maxMs: 200,
  platformUtilisation: 0.02,
  jlisUtilisation: 0.02,
  eventsProcessed: 60_000,
  hours,
  maxAbsP99ErrorPercent: 2.5,
};
/** A valid auth section with three card counts around the 87 M target. */
export const AUTH_FIXTURE: AuthSummary = {
  serviceTimes: { source: "pinned", samples: 0, crlEntries: 0, platformMs: q, crlLookupMs: q, jlisMs: q },
  year: {
    year: 2025,
    authentications: 1e9,
    byClass: { clinic: 1e9 },
    busiestDay: { date: "2025-12-22", authentications: 24_000 },
    peakHour: { hour: "2025-12-22T10", arrivalsPerS: 160, fluidP99Ms: 82 },
  },
  peakDay: day,
  validationDays: [],
  latencyByCards: [20e6, 87e6, 120e6].map((cards, i) => ({
    cards,
    arrivalsPerS: cards / 5e5,
    p50Ms: 35 + i,
    p99Ms: 80 + i,
    fluidP99Ms: 82,
    failed: 0,
  })),
  targetCards: 87e6,
  serversNeeded: { goalP99Ms: 200, cards: 120e6, platformServers: 1, jlisServers: 1, p99Ms: 90, note: "n" },
  lockouts: {
    probabilityPerPinAuthentication: 0.00125,
    lockouts: 100,
    counterVisits: 80,
    peakDailyCounterVisits: { date: "2025-03-15", count: 5 },
    fedIntoIssuanceCounters: false,
  },
};
