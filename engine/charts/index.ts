/**
 * Pure chart functions for run reports and the dashboard: `(data, options) → SVG string`. No DOM, no
 * globals, no I/O; the same input gives byte-identical output. Every chart is a standalone, accessible
 * `<svg>` (viewBox, `width="100%"`, `role="img"`, `<title>`, `<desc>`) with script-free `<title>`
 * tooltips, so it can be written into a self-contained report.html or inserted by the Vite dashboard.
 * Bad input throws a `TwinError` with code `E_CHART` whose message names the field.
 * @module
 */

export { timeSeriesChart } from "./time-series-chart.js";
export type { TimeSeries, TimeBand, TimeSeriesData, TimeSeriesChartOptions } from "./time-series-chart.js";
export { percentileBandChart } from "./percentile-band-chart.js";
export type { PercentileData, PercentileBandChartOptions } from "./percentile-band-chart.js";
export { stackedAreaChart } from "./stacked-area-chart.js";
export type { AreaSeries, StackedAreaData, StackedAreaChartOptions } from "./stacked-area-chart.js";
export { barChart } from "./bar-chart.js";
export type { BarDatum, BarRule, BarChartOptions } from "./bar-chart.js";
export { heatmapChart, rampColor } from "./heatmap-chart.js";
export type { HeatmapData, HeatmapScheme, HeatmapChartOptions, HeatmapSplit } from "./heatmap-chart.js";
export type { HRule, VRule, TimeAxisOptions, TimeAnnotation } from "./_time.js";
export { annotationLayer } from "./_time.js";
export { crosshairFrame, dayAtX, stepDay, stripFor, xOfDay } from "./crosshair.js";
export type { CrosshairFrame } from "./crosshair.js";
export { CHART_CSS, CHART_ERROR, PALETTE, valueFormatter } from "./_svg.js";
export type { CommonChartOptions, Margin, NumberFormat } from "./_svg.js";
