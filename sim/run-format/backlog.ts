/**
 * The backlog columns of timeseries.csv (DESIGN.md §4) with the labels readers show, bottom of the
 * stack first. Pure data, so the report writer and the dashboard share it.
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
