/**
 * The hub directory (`myna-twin network init --out DIR`; issue 12 item 4): the keys and the
 * institution list of the live information provision hub, and its lmdb store.
 *
 * ```
 * DIR/core.key                 K_core, 32 random bytes as hex (0600): institution codes and link ids
 * DIR/tree-head.key            Ed25519 private key of the record log's tree heads, PKCS#8 PEM (0600)
 * DIR/hub.json                 format, the tree-head public key (raw 32 bytes, hex), the portal's id
 * DIR/institutions.json        [{id, kind, publicKey (raw Ed25519, hex)}]
 * DIR/institutions/ID.key      each institution's Ed25519 private key, PKCS#8 PEM (0600)
 * DIR/store/                   the lmdb environment (hub-env.ts)
 * DIR/manifest.json            written last: a hub without it is not a hub
 * ```
 * The twin holds every institution's private key so that its CLI client and benchmark can sign as
 * any institution; a real deployment gives each institution only its own. The directory is claimed
 * like a run directory (engine/run-output): an existing directory is never overwritten, and a crash
 * while it is made leaves no manifest.
 * @module
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../../engine/errors.js";
import { claimRunDirectory } from "../../../engine/run-output/run-claim.js";
import { writeFileDurably } from "../../card/durable-file.js";
import { InstitutionDirectory, nationalDirectory, type Institution } from "../institutions.js";
import { INSTITUTION_KINDS } from "../whitelist-table.js";
import { ed25519PublicKey, ed25519Raw } from "./client.js";
import { openHubEnv } from "./hub-env.js";
import { PORTAL_INSTITUTION } from "./portal-source.js";

/** Format tag of hub.json. */
export const HUB_FORMAT = "myna-twin-hub/1";
/** Most institutions of one kind `network init` takes from the national directory. */
export const MAX_PER_KIND = 50;

/** An institution of the hub with its keys. */
export interface HubInstitution extends Institution {
  readonly publicKey: KeyObject;
  readonly publicKeyRaw: Uint8Array;
  readonly privateKey: KeyObject;
}

/** A loaded hub directory. */
export interface HubDirectory {
  readonly dir: string;
  readonly storeDir: string;
  readonly coreKey: Uint8Array;
  readonly treeHeadKey: KeyObject;
  readonly treeHeadPublicKey: Uint8Array;
  readonly directory: InstitutionDirectory;
  readonly institutions: ReadonlyMap<string, HubInstitution>;
}

/** A problem with a hub directory (missing, half-made, malformed file): exit 2. */
export class HubDirectoryError extends InputError {
  constructor(message: string) {
    super(message, "E_HUB_DIRECTORY");
  }
}

/**
 * The institutions `network init` puts on the hub: the first `perKind` institutions of each kind of
 * the national directory (every kind the whitelist names, so every procedure has a requester and a
 * provider).
 */
export function hubInstitutions(perKind: number): Institution[] {
  const out: Institution[] = [];
  const seen = new Map<string, number>();
  for (const inst of nationalDirectory().values()) {
    const n = seen.get(inst.kind) ?? 0;
    if (n < perKind) out.push(inst);
    seen.set(inst.kind, n + 1);
  }
  return out.sort((a, b) => INSTITUTION_KINDS.indexOf(a.kind) - INSTITUTION_KINDS.indexOf(b.kind));
}

/**
 * Creates a hub directory; returns the files written (relative names).
 * @throws InputError for a bad option or a directory that exists and is not empty; OutputError when
 *   the location cannot be written
 */
export function initHubDirectory(
  dir: string,
  o: { readonly perKind: number; readonly now: number; readonly command?: string },
): string[] {
  if (!Number.isInteger(o.perKind) || o.perKind < 1 || o.perKind > MAX_PER_KIND)
    throw new InputError(`network init: --per-kind: expected 1 to ${MAX_PER_KIND}, got ${o.perKind}`);
  const institutions = hubInstitutions(o.perKind);
  const claim = claimRunDirectory(dir);
  const made: string[] = [];
  try {
    const secret = (name: string, text: string) => {
      writeFileDurably(join(dir, name), text, { mode: 0o600, exclusive: true });
      made.push(join(dir, name));
    };
    secret("core.key", `${randomBytes(32).toString("hex")}\n`);
    const head = generateKeyPairSync("ed25519");
    secret("tree-head.key", head.privateKey.export({ type: "pkcs8", format: "pem" }) as string);
    mkdirSync(join(dir, "institutions"), { mode: 0o700 });
    made.push(join(dir, "institutions"));
    const list = institutions.map((inst) => {
      const kp = generateKeyPairSync("ed25519");
      secret(
        join("institutions", `${inst.id}.key`),
        kp.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
      );
      return {
        id: inst.id,
        kind: inst.kind,
        publicKey: Buffer.from(ed25519Raw(kp.publicKey)).toString("hex"),
      };
    });
    mkdirSync(join(dir, "store"), { mode: 0o700 });
    made.push(join(dir, "store"));
    const store = openHubEnv(join(dir, "store"));
    store.meta.putSync("size", 0);
    store.env.close();
    const files: Record<string, string> = {
      "hub.json": `${JSON.stringify(
        {
          format: HUB_FORMAT,
          treeHeadPublicKey: Buffer.from(ed25519Raw(head.publicKey)).toString("hex"),
          portalInstitution: PORTAL_INSTITUTION,
        },
        null,
        2,
      )}\n`,
      "institutions.json": `${JSON.stringify({ institutions: list }, null, 2)}\n`,
    };
    const names = [
      "core.key",
      "tree-head.key",
      ...list.map((i) => `institutions/${i.id}.key`),
      "store/",
      ...Object.keys(files),
      "manifest.json",
    ];
    files["manifest.json"] = `${JSON.stringify(
      {
        tool: "myna-twin",
        kind: "network-hub",
        ...(o.command !== undefined ? { command: o.command } : {}),
        createdAt: new Date(o.now).toISOString(),
        institutions: list.length,
        perKind: o.perKind,
        files: names,
        note: "mutable hub: store/ grows with every exchange (records kept 7 years); the keys are 0600",
      },
      null,
      2,
    )}\n`;
    claim.commit(files);
    return names;
  } catch (e) {
    for (const p of made.reverse()) rmSync(p, { recursive: true, force: true });
    claim.abandon();
    throw e;
  }
}

function readText(dir: string, name: string): string {
  const f = join(dir, name);
  try {
    return readFileSync(f, "utf8");
  } catch (e) {
    throw new HubDirectoryError(
      `--hub ${dir}: cannot read ${name} (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
}

function readJson(dir: string, name: string): Record<string, unknown> {
  const text = readText(dir, name);
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new HubDirectoryError(`--hub ${dir}: ${name} is not a JSON object`);
}

function privateKeyFrom(dir: string, name: string): KeyObject {
  try {
    const k = createPrivateKey(readText(dir, name));
    if (k.asymmetricKeyType === "ed25519") return k;
  } catch (e) {
    if (e instanceof HubDirectoryError) throw e;
  }
  throw new HubDirectoryError(`--hub ${dir}: ${name} is not an Ed25519 private key (PKCS#8 PEM)`);
}

function hex32(v: unknown, where: string): Uint8Array {
  if (typeof v !== "string" || !/^[0-9a-f]{64}$/.test(v))
    throw new HubDirectoryError(`${where}: expected 64 lowercase hex digits`);
  return new Uint8Array(Buffer.from(v, "hex"));
}

/**
 * Loads a hub directory made by {@link initHubDirectory}: keys (each public key checked against its
 * private key), institutions.
 * @throws HubDirectoryError (exit 2) naming the file and what was expected
 */
export function loadHubDirectory(dir: string): HubDirectory {
  if (!existsSync(join(dir, "manifest.json")))
    throw new HubDirectoryError(
      `--hub ${dir}: no manifest.json — not a hub directory, or one whose creation did not finish (make one with myna-twin network init --out DIR)`,
    );
  const manifest = readJson(dir, "manifest.json");
  if (manifest.kind !== "network-hub")
    throw new HubDirectoryError(`--hub ${dir}: manifest.json kind: expected "network-hub"`);
  const hub = readJson(dir, "hub.json");
  if (hub.format !== HUB_FORMAT)
    throw new HubDirectoryError(`--hub ${dir}: hub.json format: expected "${HUB_FORMAT}"`);
  const coreKey = new Uint8Array(Buffer.from(readText(dir, "core.key").trim(), "hex"));
  if (coreKey.length !== 32) throw new HubDirectoryError(`--hub ${dir}: core.key: expected 32 bytes as hex`);
  const treeHeadKey = privateKeyFrom(dir, "tree-head.key");
  const treeHeadPublicKey = hex32(hub.treeHeadPublicKey, `--hub ${dir}: hub.json treeHeadPublicKey`);
  if (Buffer.compare(ed25519Raw(treeHeadKey), treeHeadPublicKey) !== 0)
    throw new HubDirectoryError(`--hub ${dir}: hub.json treeHeadPublicKey does not match tree-head.key`);
  const list = readJson(dir, "institutions.json").institutions;
  if (!Array.isArray(list) || list.length === 0)
    throw new HubDirectoryError(`--hub ${dir}: institutions.json institutions: expected a non-empty array`);
  const directory = new InstitutionDirectory();
  const institutions = new Map<string, HubInstitution>();
  list.forEach((entry: unknown, i) => {
    const where = `--hub ${dir}: institutions.json institutions[${i}]`;
    const e = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    try {
      directory.add({ id: e.id as string, kind: e.kind as Institution["kind"] });
    } catch (err) {
      throw new HubDirectoryError(`${where}: ${(err as Error).message}`);
    }
    const inst = directory.get(e.id as string)!;
    const publicKeyRaw = hex32(e.publicKey, `${where} publicKey`);
    const privateKey = privateKeyFrom(dir, join("institutions", `${inst.id}.key`));
    if (Buffer.compare(ed25519Raw(privateKey), publicKeyRaw) !== 0)
      throw new HubDirectoryError(`${where}: publicKey does not match institutions/${inst.id}.key`);
    institutions.set(inst.id, {
      ...inst,
      publicKeyRaw,
      publicKey: ed25519PublicKey(publicKeyRaw),
      privateKey,
    });
  });
  return {
    dir,
    storeDir: join(dir, "store"),
    coreKey,
    treeHeadKey,
    treeHeadPublicKey,
    directory,
    institutions,
  };
}
