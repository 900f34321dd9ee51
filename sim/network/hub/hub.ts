/**
 * The live provision hub assembled from a hub directory (issue 12 item 4): the lmdb environment
 * (hub-env.ts), the core (hub-core.ts), the providers' intermediate servers, the durable record
 * store (provision-store.ts, also the portal's `PortalRecordSource`), the retention interval, and
 * the routes `serve --hub DIR` mounts. One process at a time: the hub directory is locked while it
 * is open (engine/dir-lock.ts). The store keeps its tree in memory and the core its code table, so
 * a second process writing meanwhile would leave the first out of date: the store, which checks
 * the stored size in each write, would then refuse every exchange (StoreIntegrityError) until
 * restarted, and codes enrolled by the other would stay unknown to it. `close()` drains the
 * store's writer, closes lmdb, then releases the lock.
 * @module
 */
import { lockDirectory } from "../../../engine/dir-lock.js";
import type { Route } from "../../services/http-host.js";
import type { MetricsRegistry } from "../../services/metrics.js";
import type { VerifyPool } from "../../services/verify-pool.js";
import type { NetworkLogger } from "../network-logger.js";
import { TreeHeadSigner } from "../signed-tree-head.js";
import { HubCore } from "./hub-core.js";
import { HubDirectoryError, loadHubDirectory, type HubDirectory } from "./hub-directory.js";
import { openHubEnv, type HubEnv } from "./hub-env.js";
import { hubRoutes } from "./hub-routes.js";
import { IntermediateServers } from "./intermediate-server.js";
import { ProvisionStore } from "./provision-store.js";
import { runRetention } from "./retention.js";

/** Options of {@link openHub}. */
export interface OpenHubOptions {
  /** Bound of the store's size in bytes (see provision-store.ts). */
  readonly mapBytes?: number;
  readonly now?: () => number;
  readonly logger?: NetworkLogger;
  /** Retention pass interval (ms); 0 = none (the CLI's `network retain` only). Default 0. */
  readonly retentionIntervalMs?: number;
  /** What holds the hub, for the lock file and the message of a second opener (default: this process's command line). */
  readonly holder?: string;
}

/** An open hub. */
export interface Hub {
  readonly files: HubDirectory;
  readonly env: HubEnv;
  readonly core: HubCore;
  readonly store: ProvisionStore;
  readonly servers: IntermediateServers;
  /**
   * The routes to mount (startService's `routes` function form); with the service's `pool`, the
   * Ed25519 work runs on its threads, else on the calling thread.
   */
  routes(shared: { readonly metrics: MetricsRegistry; readonly pool?: VerifyPool }): Route[];
  close(): Promise<void>;
}

const silent: NetworkLogger = { info: () => undefined, warn: () => undefined };

/**
 * Opens the hub at `dir`, locked for this process until `close()`.
 * @throws HubDirectoryError (not a hub), OutputError `E_DIR_LOCKED` (another live process has it
 *   open), StoreIntegrityError (stored log disagrees with its head)
 */
export function openHub(dir: string, o: OpenHubOptions = {}): Hub {
  const files = loadHubDirectory(dir);
  const now = o.now ?? Date.now;
  const logger = o.logger ?? silent;
  const lock = lockDirectory(dir, `--hub ${dir}`, o.holder ?? process.argv.slice(1).join(" ").slice(0, 200));
  let env: HubEnv;
  try {
    env = openHubEnv(files.storeDir);
  } catch (e) {
    lock.release();
    throw new HubDirectoryError(
      `--hub ${dir}: cannot open the record store store/ (${e instanceof Error ? e.message.slice(0, 160) : String(e)})`,
    );
  }
  let store: ProvisionStore;
  let core: HubCore;
  try {
    core = new HubCore(files.coreKey, files.directory, env, logger);
    store = ProvisionStore.open(env, new TreeHeadSigner(files.treeHeadKey), {
      mapBytes: o.mapBytes,
      now,
      logger,
      portalCodeOf: (n) => core.portalCodeOf(n),
    });
  } catch (e) {
    void env.env.close();
    lock.release();
    throw e;
  }
  const servers = new IntermediateServers(env.copies, files.institutions);
  let timer: NodeJS.Timeout | undefined;
  if ((o.retentionIntervalMs ?? 0) > 0) {
    timer = setInterval(() => {
      runRetention(store, now(), logger).catch((e: unknown) =>
        logger.warn("retention pass failed", { reason: e instanceof Error ? e.message : String(e) }),
      );
    }, o.retentionIntervalMs);
    timer.unref();
  }
  let closing: Promise<void> | undefined;
  return {
    files,
    env,
    core,
    store,
    servers,
    routes: ({ metrics, pool }) =>
      hubRoutes({
        core,
        store,
        servers,
        institutions: files.institutions,
        treeHeadPublicKey: files.treeHeadPublicKey,
        metrics,
        now,
        ...(pool ? { ed25519: (job) => pool.ed25519(job) } : {}),
      }),
    close: () => {
      closing ??= (async () => {
        if (timer) clearInterval(timer);
        try {
          await store.drain();
          await env.env.close();
        } finally {
          lock.release();
        }
      })();
      return closing;
    },
  };
}
