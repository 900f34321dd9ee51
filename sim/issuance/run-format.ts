/**
 * Names in the run-output format (DESIGN.md §4) that readers show to people: the backlog columns of
 * timeseries.csv, bottom of the stack first, with their labels. Pure data, no imports, so the
 * report writer and the dashboard share it without the dashboard depending on simulation code.
 * @module
 */

/** Backlog columns of timeseries.csv and their labels, in pipeline order. */
export const BACKLOG_LABELS = [
  ["backlog_in_post", "applications in the post"],
  ["backlog_jlis_intake", "awaiting J-LIS intake"],
  ["backlog_factory", "at the factory"],
  ["backlog_shipping", "in transit to municipalities"],
  ["backlog_awaiting_visit", "awaiting the resident's visit"],
  ["backlog_counter_queue", "in the counter queue"],
  ["backlog_renewals", "certificate renewals waiting"],
] as const;
