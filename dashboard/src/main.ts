/**
 * Entry point of the dashboard page: starts the app in `#app`, reading `data/` next to the page.
 * @module
 */

import { CHART_CSS } from "../../engine/charts/index.js";
import { startApp } from "./app.js";
import { browserFetcher } from "./data/fetcher.js";
import "./style.css";

const style = document.createElement("style");
style.textContent = CHART_CSS;
document.head.appendChild(style);

const root = document.getElementById("app");
if (root) void startApp(root, browserFetcher()).render();
