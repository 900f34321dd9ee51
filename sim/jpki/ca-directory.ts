/**
 * A J-LIS-style CA directory that keeps its keys and issues and revokes for real (DESIGN.md §5
 * "The live setup's contract": `pki init --out DIR`, `card apdu --new FILE --pki DIR`,
 * `pki revoke --pki DIR --serial HEX --reason NAME`; FACTS.md §1.2 two roots, §3.1–3.2 CRLs and
 * reasons; RFC 5280 §5 CRL v2). The layout is the one `pki export` writes and `serve --pki DIR`
 * reads (sim/services/ca-directory.ts), plus what a CA needs to go on issuing:
 *
 * - `{auth,sign}-root.der|pem` — the two roots (RSA-2048, SHA-256);
 * - `{auth,sign}-root.key.pem` — their PKCS#8 private keys, mode 0600;
 * - `{auth,sign}-crl-full.der|pem` — the current full CRL of each root (empty after init);
 * - `{auth,sign}-crl-P0000.der|pem` … — the same entries partitioned by serial mod P
 *   (sim/revocation/artefact-source.ts `partitionsOf`), served as `/v1/crl/{kind}/partition/{n}`;
 * - `{auth,sign}-crl-delta.der|pem` — the delta CRL against the previous full CRL (deltaCRLIndicator
 *   = its cRLNumber; RFC 5280 §5.2.4), carrying the same cRLNumber as the new full CRL, which names
 *   it in freshestCRL; empty (base = number = 1) after init; served as `/v1/crl/{kind}/delta`;
 * - `{auth,sign}-filter.bin` — the revocation filter (sim/revocation/filter) over every serial the
 *   root issued, keyed by `certificateKey(root subjectKeyId, serial)`; rebuilt on issue and revoke,
 *   absent while the root has issued nothing; served as `/v1/crl/{kind}/filter`;
 * - `ca-state.json` — the ledger: next serial counter, CRL numbers, every issued serial, every
 *   revocation; replaced durably (temp, fsync, rename, directory fsync) under the lock;
 * - `manifest.json` — written last by init (engine/run-output), so a half-made CA never looks whole;
 * - `.ca-lock` — held (O_EXCL create) while a command changes the CA.
 *
 * Serials are 16 bytes: 8 fresh random bytes (first octet 01–7F) ‖ an 8-byte counter from the
 * ledger, which is written durably before any certificate carrying the serial exists — unique even
 * across crashes. A CRL is re-issued with the next cRLNumber (max of ledger and file + 1), thisUpdate
 * now, nextUpdate now + 1 day, each file replaced atomically; `serve` picks it up on its reload.
 * Revoking a serial twice is an error (E_CA_ALREADY_REVOKED) and changes nothing.
 * @module
 */
import { createPrivateKey } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { existsSync, openSync, closeSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../engine/errors.js";
import { claimRunDirectory } from "../../engine/run-output/run-claim.js";
import { checkRunTarget } from "../../engine/run-output/run-directory.js";
import { writeFileDurably } from "../card/durable-file.js";
import {
  CrlReason,
  NO_REASON,
  RevokedEntriesBuilder,
  buildCrl,
  nodeSigner,
  parseCertificate,
  parseCrl,
  partitionLabel,
  randomSerial,
  toHex,
  createJpkiRoot,
  crlPartitionName,
} from "../pki/index.js";
import type { JpkiCertKind, JpkiRoot } from "../pki/index.js";
import { pemBytes, pemOf } from "../pki/pem.js";
import { partitionsOf } from "../revocation/artefact-source.js";
import { buildFilter, certificateKey, universeOf } from "../revocation/filter/index.js";
import { generateKeyPairs } from "./keys.js";
import type { DemoRoots } from "./demo-card.js";

const KINDS: readonly JpkiCertKind[] = ["auth", "sign"];
const DAY = 86_400_000;
/** Name of the ledger file. */
export const CA_STATE_FILE = "ca-state.json";
/** Name of the lock file. */
export const CA_LOCK_FILE = ".ca-lock";
/** Upper bound of `--partitions`. */
export const MAX_CA_PARTITIONS = 256;

/** One revocation in the ledger. */
export interface CaRevocation {
  readonly serial: string;
  readonly kind: JpkiCertKind;
  readonly reason: CrlReasonName;
  readonly at: string;
}

/**
 * One issued certificate in the ledger. J-LIS links the serials it issues to the resident: `myNumber`
 * is the holder's individual number (set by `card apdu --new --pki`; absent in ledgers written before
 * it was recorded, which still load). The Myna Portal maps a log-in certificate to the person by it.
 */
export interface CaIssued {
  readonly serial: string;
  readonly kind: JpkiCertKind;
  readonly at: string;
  readonly myNumber?: string;
}

/** The ledger (`ca-state.json`). */
export interface CaState {
  readonly format: "myna-twin-ca/1";
  nextSerial: number;
  readonly partitions: number;
  crlNumber: Record<JpkiCertKind, number>;
  issued: CaIssued[];
  revoked: CaRevocation[];
}

/** RFC 5280 §5.3.1 reason names a revocation may carry (removeFromCRL belongs to delta CRLs only). */
export type CrlReasonName = Exclude<keyof typeof CrlReason, "removeFromCRL">;
export const REVOCATION_REASONS: readonly CrlReasonName[] = (
  Object.keys(CrlReason) as (keyof typeof CrlReason)[]
).filter((k): k is CrlReasonName => k !== "removeFromCRL");

const caError = (message: string, code = "E_CA_INPUT"): InputError => new InputError(message, code);

/** Serial hex as the ledger and OpenSSL write it: upper case, no separators, no leading zero bytes. */
export function normaliseSerial(text: string): string | undefined {
  const t = text.trim().replace(/^0x/i, "").replace(/[:\s]/g, "");
  if (!/^[0-9a-fA-F]+$/.test(t) || t.length > 40) return undefined;
  const even = t.length % 2 ? `0${t}` : t;
  return even.replace(/^(00)+(?=..)/, "").toUpperCase();
}

const hexUpper = (b: Uint8Array): string => normaliseSerial(toHex(b))!;

/** Writes DER and PEM of a CRL atomically (each: temp + fsync + rename + directory fsync). */
function writeCrl(dir: string, stem: string, der: Uint8Array): void {
  writeFileDurably(join(dir, `${stem}.der`), der, { mode: 0o644 });
  writeFileDurably(join(dir, `${stem}.pem`), pemBytes("X509 CRL", der), { mode: 0o644 });
}

/**
 * The full CRL of `root` over `revoked` (naming its delta in freshestCRL, which OpenSSL needs to
 * apply deltas), or with `deltaBase` the delta CRL over the full CRL with that number.
 */
function crlOf(
  root: JpkiRoot,
  revoked: readonly CaRevocation[],
  crlNumber: number,
  now: number,
  deltaBase?: number,
): Uint8Array {
  const b = new RevokedEntriesBuilder(16, Math.max(1, revoked.length));
  for (const r of revoked) {
    if (r.kind !== root.kind) continue;
    b.add(Buffer.from(r.serial, "hex"), Date.parse(r.at), CrlReason[r.reason] ?? NO_REASON);
  }
  return buildCrl(
    {
      issuer: root.name,
      authorityKeyId: root.keyId,
      thisUpdate: Math.floor(now / 1000) * 1000,
      nextUpdate: Math.floor(now / 1000) * 1000 + DAY,
      crlNumber,
      entries: b.build(),
      ...(deltaBase === undefined
        ? { freshestCrl: crlPartitionName(root.kind, "delta") }
        : { deltaBaseCrlNumber: deltaBase }),
    },
    root.signer,
  );
}

function publishCrls(
  dir: string,
  root: JpkiRoot,
  full: Uint8Array,
  delta: Uint8Array,
  partitions: number,
): void {
  // Partitions and delta first, the full CRL last: `serve` reloads on the full CRL's change.
  partitionsOf(root, full, partitions).forEach((der, p) =>
    writeCrl(dir, `${root.kind}-crl-${partitionLabel(p)}`, der),
  );
  writeCrl(dir, `${root.kind}-crl-delta`, delta);
  writeCrl(dir, `${root.kind}-crl-full`, full);
}

/** File name of a root's revocation filter. */
export const filterFileName = (kind: JpkiCertKind): string => `${kind}-filter.bin`;

/**
 * The revocation filter over every serial `kind`'s root issued (the ledger's), written atomically;
 * nothing while it has issued none (a filter needs a non-empty universe).
 */
function publishFilter(dir: string, root: JpkiRoot, state: CaState): void {
  const issued = state.issued.filter((i) => i.kind === root.kind);
  if (issued.length === 0) return;
  const revoked = new Set(state.revoked.filter((r) => r.kind === root.kind).map((r) => r.serial));
  const keys = new Uint32Array(2 * issued.length);
  const flags = new Uint8Array(issued.length);
  issued.forEach((i, n) => {
    certificateKey(root.keyId, Buffer.from(i.serial, "hex"), keys, 2 * n);
    flags[n] = revoked.has(i.serial) ? 1 : 0;
  });
  const built = buildFilter(universeOf(keys, flags), { sequence: state.crlNumber[root.kind] });
  writeFileDurably(join(dir, filterFileName(root.kind)), built.bytes, { mode: 0o644 });
}

/** Options of {@link initCaDirectory}. */
export interface CaInitOptions {
  /** Partitioned CRLs per root (1 … {@link MAX_CA_PARTITIONS}). */
  readonly partitions: number;
  readonly now: number;
  readonly command?: string;
}

/**
 * Creates a CA directory at `dir` (claimed like a run directory: never over an existing CA or any
 * non-empty directory). Returns the files written.
 * @throws InputError (exit 2) for a bad option or an unusable / non-empty `dir`
 */
export async function initCaDirectory(dir: string, o: CaInitOptions): Promise<string[]> {
  if (!Number.isInteger(o.partitions) || o.partitions < 1 || o.partitions > MAX_CA_PARTITIONS)
    throw caError(`pki init: --partitions must be 1–${MAX_CA_PARTITIONS}, got ${o.partitions}`);
  checkRunTarget(dir);
  const [s, a] = await generateKeyPairs("rsa2048", 2);
  const notBefore = o.now - DAY;
  const roots: DemoRoots = {
    sign: createJpkiRoot({ kind: "sign", signer: nodeSigner(s!.privateKey), notBefore }),
    auth: createJpkiRoot({ kind: "auth", signer: nodeSigner(a!.privateKey), notBefore }),
  };
  const keys: Record<JpkiCertKind, KeyObject> = { sign: s!.privateKey, auth: a!.privateKey };
  const claim = claimRunDirectory(dir);
  const keyFiles: string[] = [];
  try {
    // Keys straight to their final names with mode 0600 (never readable by others, even briefly);
    // manifest.json, written last by commit, is what marks the CA complete.
    for (const kind of KINDS) {
      const f = join(dir, `${kind}-root.key.pem`);
      writeFileDurably(f, keys[kind].export({ type: "pkcs8", format: "pem" }) as string, {
        mode: 0o600,
        exclusive: true,
      });
      keyFiles.push(f);
    }
    const state: CaState = {
      format: "myna-twin-ca/1",
      nextSerial: 1,
      partitions: o.partitions,
      crlNumber: { auth: 1, sign: 1 },
      issued: [],
      revoked: [],
    };
    const files: Record<string, string | Uint8Array> = {};
    for (const kind of KINDS) {
      const root = roots[kind];
      files[`${kind}-root.der`] = root.der;
      files[`${kind}-root.pem`] = pemOf("CERTIFICATE", root.der);
      const full = crlOf(root, [], 1, o.now);
      files[`${kind}-crl-full.der`] = full;
      files[`${kind}-crl-full.pem`] = pemBytes("X509 CRL", full);
      const delta = crlOf(root, [], 1, o.now, 1);
      files[`${kind}-crl-delta.der`] = delta;
      files[`${kind}-crl-delta.pem`] = pemBytes("X509 CRL", delta);
      partitionsOf(root, full, o.partitions).forEach((der, p) => {
        files[`${kind}-crl-${partitionLabel(p)}.der`] = der;
        files[`${kind}-crl-${partitionLabel(p)}.pem`] = pemBytes("X509 CRL", der);
      });
    }
    files[CA_STATE_FILE] = `${JSON.stringify(state, null, 2)}\n`;
    const names = [...Object.keys(files), ...KINDS.map((k) => `${k}-root.key.pem`), "manifest.json"];
    files["manifest.json"] = `${JSON.stringify(
      {
        tool: "myna-twin",
        kind: "pki-ca",
        ...(o.command !== undefined ? { command: o.command } : {}),
        createdAt: new Date(o.now).toISOString(),
        roots: Object.fromEntries(
          KINDS.map((k) => [
            k,
            {
              serial: hexUpper(roots[k].certificate.serial),
              notAfter: new Date(roots[k].certificate.notAfter).toISOString(),
            },
          ]),
        ),
        partitions: o.partitions,
        files: names.sort(),
        note: "mutable CA: ca-state.json and the CRLs change with card apdu --new --pki and pki revoke; the keys are 0600",
      },
      null,
      2,
    )}\n`;
    claim.commit(files);
    return names;
  } catch (e) {
    for (const f of keyFiles) {
      try {
        unlinkSync(f);
      } catch {
        // already gone
      }
    }
    claim.abandon();
    throw e;
  }
}

/** An opened CA directory (under its lock): roots with signers and the ledger. */
export interface OpenCa {
  readonly dir: string;
  readonly roots: DemoRoots;
  readonly state: CaState;
}

function readState(dir: string): CaState {
  const f = join(dir, CA_STATE_FILE);
  let state: CaState;
  try {
    state = JSON.parse(readFileSync(f, "utf8")) as CaState;
  } catch (e) {
    throw caError(`--pki ${dir}: ${CA_STATE_FILE} is unreadable (${(e as Error).message.slice(0, 120)})`);
  }
  if (
    state?.format !== "myna-twin-ca/1" ||
    !Number.isSafeInteger(state.nextSerial) ||
    !Array.isArray(state.issued) ||
    !Array.isArray(state.revoked)
  )
    throw caError(`--pki ${dir}: ${CA_STATE_FILE} is not a myna-twin CA ledger`);
  return state;
}

function loadRoot(dir: string, kind: JpkiCertKind): JpkiRoot {
  const certFile = join(dir, `${kind}-root.der`);
  const keyFile = join(dir, `${kind}-root.key.pem`);
  if (!existsSync(keyFile))
    throw caError(
      `--pki ${dir}: no ${kind}-root.key.pem — only a CA made with myna-twin pki init --out DIR can issue or revoke (pki export keeps no keys)`,
    );
  let der: Uint8Array;
  let key: KeyObject;
  try {
    der = new Uint8Array(readFileSync(certFile));
    key = createPrivateKey(readFileSync(keyFile));
  } catch (e) {
    throw caError(`--pki ${dir}: ${kind} root or key unreadable (${(e as Error).message.slice(0, 120)})`);
  }
  const certificate = parseCertificate(der);
  const signer = nodeSigner(key);
  if (toHex(signer.spki) !== toHex(certificate.spki))
    throw caError(`--pki ${dir}: ${kind}-root.key.pem is not the key of ${kind}-root.der`);
  return {
    kind,
    generation: 1,
    name: certificate.subject,
    keyId: certificate.subjectKeyId!,
    signer,
    der,
    certificate,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` holding the CA's lock (`.ca-lock`, O_EXCL), with the roots and ledger loaded. Waits a
 * bounded number of short retries for another command to finish, then refuses.
 * @throws InputError when `dir` is not a pki-init CA, or stays locked
 */
export async function withCa<T>(dir: string, fn: (ca: OpenCa) => T | Promise<T>): Promise<T> {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw caError(`--pki ${dir}: no such directory (make one with myna-twin pki init --out DIR)`);
  if (!existsSync(join(dir, "manifest.json")) || !existsSync(join(dir, CA_STATE_FILE)))
    throw caError(`--pki ${dir}: not a CA made by myna-twin pki init (no ${CA_STATE_FILE} / manifest.json)`);
  const lock = join(dir, CA_LOCK_FILE);
  let fd: number | undefined;
  for (let i = 0; i < 40 && fd === undefined; i++) {
    try {
      fd = openSync(lock, "wx", 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST")
        throw caError(`--pki ${dir}: cannot create ${CA_LOCK_FILE} (${(e as NodeJS.ErrnoException).code})`);
      await sleep(50);
    }
  }
  if (fd === undefined)
    throw caError(
      `--pki ${dir}: the CA is in use (${lock} exists); if no myna-twin command is using it, remove that file`,
      "E_CA_LOCKED",
    );
  try {
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    const state = readState(dir);
    const roots: DemoRoots = { auth: loadRoot(dir, "auth"), sign: loadRoot(dir, "sign") };
    return await fn({ dir, roots, state });
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // gone already
    }
  }
}

function saveState(dir: string, state: CaState): void {
  writeFileDurably(join(dir, CA_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o644 });
}

/**
 * Allocates one serial per kind, recorded durably in the ledger before it is returned, linked to the
 * holder's `myNumber` when given (12 digits). Call inside {@link withCa}.
 */
export function allocateSerials(
  ca: OpenCa,
  kinds: readonly JpkiCertKind[],
  now: number,
  myNumber?: string,
): Record<JpkiCertKind, Uint8Array> {
  if (myNumber !== undefined && !/^\d{12}$/.test(myNumber))
    throw caError(
      `card issue: the holder's individual number must be 12 digits, got ${JSON.stringify(myNumber)}`,
    );
  const out: Partial<Record<JpkiCertKind, Uint8Array>> = {};
  const at = new Date(now).toISOString();
  for (const kind of kinds) {
    const n = ca.state.nextSerial++;
    const serial = new Uint8Array(16);
    serial.set(randomSerial(8), 0);
    new DataView(serial.buffer).setBigUint64(8, BigInt(n));
    out[kind] = serial;
    ca.state.issued.push({
      serial: hexUpper(serial),
      kind,
      at,
      ...(myNumber !== undefined ? { myNumber } : {}),
    });
  }
  saveState(ca.dir, ca.state);
  for (const kind of kinds) publishFilter(ca.dir, ca.roots[kind], ca.state);
  return out as Record<JpkiCertKind, Uint8Array>;
}

/** What {@link revokeSerial} did. */
export interface RevokeResult {
  readonly kind: JpkiCertKind;
  readonly serial: string;
  readonly reason: CrlReasonName;
  readonly crlNumber: number;
  readonly entries: number;
}

/**
 * Revokes `serialText` with `reason`: re-issues that root's filter, full CRL (its partitions and its
 * delta against the previous full CRL) with the next cRLNumber, then records it in the ledger.
 * @throws InputError for a bad serial or reason (before the CA is touched), an unknown serial, or
 *   one already revoked (E_CA_ALREADY_REVOKED); nothing is changed then
 */
export async function revokeSerial(
  dir: string,
  serialText: string,
  reasonText: string,
  now: number,
): Promise<RevokeResult> {
  const serial = normaliseSerial(serialText);
  if (serial === undefined)
    throw caError(
      `pki revoke: --serial: expected the certificate serial in hex (e.g. 3A7F…, colons allowed), got ${JSON.stringify(serialText.slice(0, 60))}`,
    );
  if (!(REVOCATION_REASONS as readonly string[]).includes(reasonText))
    throw caError(
      `pki revoke: --reason: expected one of ${REVOCATION_REASONS.join(", ")} (RFC 5280 §5.3.1), got ${JSON.stringify(reasonText.slice(0, 60))}`,
    );
  const reason = reasonText as CrlReasonName;
  return withCa(dir, (ca) => {
    const issued = ca.state.issued.find((i) => i.serial === serial);
    if (!issued)
      throw caError(
        `pki revoke: --serial ${serial}: this CA (${dir}) never issued that serial; nothing changed`,
        "E_CA_UNKNOWN_SERIAL",
      );
    const prior = ca.state.revoked.find((r) => r.serial === serial);
    if (prior)
      throw caError(
        `pki revoke: --serial ${serial}: already revoked at ${prior.at} (${prior.reason}); nothing changed`,
        "E_CA_ALREADY_REVOKED",
      );
    const kind = issued.kind;
    let fileNumber = 0;
    let onBase: ((serial: Uint8Array) => boolean) | undefined;
    try {
      const cur = parseCrl(new Uint8Array(readFileSync(join(dir, `${kind}-crl-full.der`))));
      fileNumber = Number(cur.crlNumber ?? 0n);
      onBase = (s) => cur.entries.has(s);
    } catch {
      // missing or broken: the ledger's number decides, and the delta lists every revocation
    }
    const base = Math.max(ca.state.crlNumber[kind], fileNumber);
    const crlNumber = base + 1;
    const revoked = [
      ...ca.state.revoked,
      { serial, kind, reason, at: new Date(Math.floor(now / 1000) * 1000).toISOString() },
    ];
    const full = crlOf(ca.roots[kind], revoked, crlNumber, now);
    // The delta against the previous full CRL: what it lacks; same number as the new full CRL
    // (RFC 5280 §5.2.3: issued together over one scope, they share it).
    const since = revoked.filter((r) => r.kind === kind && !onBase?.(Buffer.from(r.serial, "hex")));
    const delta = crlOf(ca.roots[kind], since, crlNumber, now, base);
    ca.state.revoked = revoked;
    ca.state.crlNumber[kind] = crlNumber;
    publishFilter(dir, ca.roots[kind], ca.state);
    publishCrls(dir, ca.roots[kind], full, delta, ca.state.partitions);
    saveState(dir, ca.state);
    return { kind, serial, reason, crlNumber, entries: revoked.filter((r) => r.kind === kind).length };
  });
}
