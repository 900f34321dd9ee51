/**
 * `myna-twin card apdu`: a virtual card reader in front of a simulated My Number card (sim/card,
 * FACTS.md §2 — the JPKI AP and 券面事項入力補助AP bytes and status words). Command APDUs come in as
 * hex on stdin, one per line (spaces between bytes allowed, `#` starts a comment, blank lines are
 * skipped); each response (data ‖ SW1 SW2) goes out as one line of upper-case spaced hex on stdout.
 *
 * - The card file is the card's memory (sim/card card-file.ts): every change of a PIN counter or PIN
 *   value is written to FILE durably **before** the response line is printed, with or without
 *   `--save` (a real card always counts: there are no free PIN tries). `--save` is kept for older
 *   scripts and changes nothing. The session holds the card's lock: a second session on the same
 *   card is refused until the first ends. An old copy of a card file is refused (rollback).
 * - A line that is not hex, or longer than 64 KiB (card-input.ts), never reaches the card: stderr
 *   gets `line N: …` (never the whole line), the reader goes on, and the command exits 2 at the end.
 *   A malformed APDU is the card's business: it answers a status word (6700, 6D00, …).
 * - `--card FILE` opens a saved card (scrypt + AES-256-GCM, so the passphrase comes from
 *   `--passphrase` or `MYNA_CARD_PASSPHRASE`). `--new FILE` personalises a card for a demo resident
 *   (sim/jpki/demo-card.ts) under two fresh J-LIS demo roots and writes, beside FILE,
 *   `<stem>.sign-root.pem`, `<stem>.auth-root.pem`, `<stem>.auth-cert.pem` and `<stem>.sign-cert.pem`.
 * - `--new FILE --pki DIR` issues the certificates from a `pki init` CA directory instead
 *   (sim/jpki/ca-directory.ts: its roots and keys, serials from its durable ledger, under its lock).
 * - Locks and generation records live in `.myna-card-state/` beside FILE, or in
 *   `$MYNA_CARD_STATE_DIR` when set.
 * - Ctrl-C and SIGTERM end the session between two commands (every answered command is on disk)
 *   and release the lock; exit 130 / 143.
 * @module
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join, parse as parsePath } from "node:path";
import { InputError, isInputError } from "../engine/errors.js";
import { writeFileDurably } from "../sim/card/durable-file.js";
import {
  CardFile,
  CardStoreError,
  PIN_POLICIES,
  fromHex,
  pinFormatProblem,
  toHex,
} from "../sim/card/index.js";
import { allocateSerials, withCa } from "../sim/jpki/ca-directory.js";
import { ageOn, generatePins, issueDemoCard, SIGNATURE_CERT_MIN_AGE } from "../sim/jpki/demo-card.js";
import type { CardPins } from "../sim/jpki/demo-card.js";
import { pemOf } from "../sim/pki/pem.js";
import { isValidMyNumber } from "../sim/numbers/my-number.js";
import { birthDateProblem, demoResident, prefectureOf } from "../sim/jpki/resident.js";
import type { DemoResident } from "../sim/jpki/resident.js";
import { integerFlag, parse } from "./args.js";
import { MAX_APDU_LINE_BYTES, inputLines, tooLongMessage } from "./card-input.js";

export const CARD_HELP = `Usage: myna-twin card apdu (--card FILE | --new FILE) [options] < commands.apdu

A virtual card reader. Reads command APDUs as hex from stdin, one per line (spaces between bytes
allowed; '#' starts a comment; blank lines are skipped), sends each to a simulated My Number card
and prints the response — data and SW1 SW2 — as one line of hex on stdout.

Card:
  --card FILE             open a saved card
  --new FILE              create a card for a demo resident and save it to FILE; the two J-LIS
                          demo roots (and the card's certificates) are saved beside it as PEM:
                          <stem>.sign-root.pem, <stem>.auth-root.pem, <stem>.auth-cert.pem,
                          <stem>.sign-cert.pem
  --passphrase TEXT       passphrase of the card file (default: $MYNA_CARD_PASSPHRASE)
  --save                  accepted for older scripts; changes nothing (see "The card file" below)

With --new:
  --seed N                picks the demo resident (default 1): name, address, birth date, sex,
                          individual number — the same N gives the same person
  --name TEXT, --address TEXT, --birth-date YYYY-MM-DD, --sex 1|2|9, --my-number 12DIGITS
                          override the resident's facts (the address must start with a prefecture;
                          the number must carry a valid check digit)
  --auth-pin NNNN         auth PIN, 4 digits (default: generated)
  --sign-password TEXT    signature password, 6–16 of A–Z 0–9 (default: generated; holders
                          under 15 get no signature certificate and no password)
  --text-pin NNNN         card-input-support PIN, 4 digits (default: generated)
                          Generated PINs are printed once, on stderr.
  --locked                leave the card issuance-locked (PIN commands answer 6985) instead of
                          handing it over at the counter
  --pki DIR               issue the certificates from the CA directory of myna-twin pki init --out DIR
                          (its roots and keys; serials from its ledger, durable and unique) instead of
                          two fresh demo roots; myna-twin serve --pki DIR then trusts the card
  -h, --help              this help

The card file is the card's memory. A real card always counts PIN tries, so every change of a PIN
counter or PIN value is written to FILE (durably: temp file, fsync, rename) before the response is
printed, with or without --save: a session killed at any point keeps every try it spent. While a
session runs it holds the card: a second session on the same card is refused ("in use") until the
first ends. Each write raises a generation number sealed in the file; an older copy of the file put
back is refused. Locks and generation records live in .myna-card-state/ beside FILE, or in
$MYNA_CARD_STATE_DIR (point every card at one directory to catch copies moved elsewhere too).

A line that is not hex, or longer than ${MAX_APDU_LINE_BYTES} bytes, is reported on stderr with its line
number (never echoed in full) and skipped (the card never sees it); the reader goes on and exits 2
at the end. Malformed APDUs get the card's status word.
Exit codes: 0 ok, 2 bad input (flag, card file, passphrase, card in use or rolled back, a malformed
line), 1 internal failure (e.g. the card file could not be written), 130/143 Ctrl-C / SIGTERM.`;

const NEW_ONLY = [
  "seed",
  "name",
  "address",
  "birth-date",
  "sex",
  "my-number",
  "auth-pin",
  "sign-password",
  "text-pin",
  "locked",
  "pki",
] as const;

function fail(message: string): never {
  throw new InputError(`card apdu: ${message}`);
}

function residentFrom(values: Record<string, unknown>, issuedAt: number): DemoResident {
  const str = (k: string) => values[k] as string | undefined;
  const base = demoResident(integerFlag("seed", str("seed"), 1, 0, 2 ** 53 - 1));
  const birthDate = str("birth-date") ?? base.birthDate;
  const dateProblem = birthDateProblem(birthDate, issuedAt);
  if (dateProblem)
    fail(
      `--birth-date: expected a real calendar date YYYY-MM-DD from 1900-01-01 to today, got ${JSON.stringify(birthDate)} (${dateProblem})`,
    );
  const sex = str("sex") ?? base.sex;
  if (sex !== "1" && sex !== "2" && sex !== "9")
    fail(`--sex: expected 1 (male), 2 (female) or 9, got ${JSON.stringify(sex)}`);
  const myNumber = str("my-number") ?? base.myNumber;
  if (!isValidMyNumber(myNumber))
    fail(`--my-number: expected 12 digits with a valid check digit, got ${JSON.stringify(myNumber)}`);
  const name = str("name") ?? base.name;
  if (name.trim() === "") fail("--name must not be empty");
  let { address, prefecture, municipality } = base;
  const given = str("address");
  if (given !== undefined) {
    const pref = prefectureOf(given);
    if (!pref) fail(`--address must start with a prefecture (e.g. 東京都…), got ${JSON.stringify(given)}`);
    address = given;
    prefecture = pref;
    const rest = given.replace(/^.{2,3}?[都道府県]/u, "");
    municipality = /^.+?[市区町村]/u.exec(rest)?.[0] ?? rest;
  }
  return { myNumber, name, address, birthDate, sex, prefecture, municipality };
}

/** Where locks and generation records live: `$MYNA_CARD_STATE_DIR`, or beside the card file. */
function stateDirOption(): { stateDir?: string } {
  const dir = process.env.MYNA_CARD_STATE_DIR;
  return dir ? { stateDir: dir } : {};
}

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}

async function newCard(file: string, passphrase: string, values: Record<string, unknown>): Promise<CardFile> {
  if (existsSync(file)) fail(`--new ${file}: the file exists; open it with --card ${file}`);
  const dir = dirname(file);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    fail(`--new ${file}: the directory ${dir} does not exist (${errnoOf(e)}); create it first`);
  }
  if (!isDir) fail(`--new ${file}: ${dir} is not a directory`);
  const issuedAt = Date.now();
  const resident = residentFrom(values, issuedAt);
  const withSign = ageOn(resident.birthDate, issuedAt) >= SIGNATURE_CERT_MIN_AGE;
  const given = {
    auth: values["auth-pin"] as string | undefined,
    sign: values["sign-password"] as string | undefined,
    text: values["text-pin"] as string | undefined,
  };
  if (!withSign && given.sign !== undefined)
    fail(
      `--sign-password: the holder (born ${resident.birthDate}) is under ${SIGNATURE_CERT_MIN_AGE} and gets no signature certificate`,
    );
  for (const kind of ["auth", "sign", "text"] as const) {
    const v = given[kind];
    const policy = PIN_POLICIES[kind];
    if (v !== undefined && pinFormatProblem(policy, v))
      fail(
        `--${kind === "sign" ? "sign-password" : `${kind}-pin`}: the ${policy.label} must be ${policy.minLength === policy.maxLength ? policy.minLength : `${policy.minLength}–${policy.maxLength}`} characters matching ${policy.pattern.source}`,
      );
  }
  const generated = generatePins(withSign);
  const pins: CardPins = {
    auth: given.auth ?? generated.auth,
    text: given.text ?? generated.text,
    ...(withSign ? { sign: given.sign ?? generated.sign! } : {}),
  };
  const pkiDir = values.pki as string | undefined;
  const fromCa =
    pkiDir === undefined
      ? undefined
      : await withCa(pkiDir, (ca) => ({
          roots: ca.roots,
          partitions: ca.state.partitions,
          serials: allocateSerials(ca, withSign ? ["auth", "sign"] : ["auth"], issuedAt, resident.myNumber),
        }));
  const demo = await issueDemoCard({
    resident,
    pins,
    issuedAt,
    locked: values.locked === true,
    ...(fromCa ? { roots: fromCa.roots, serials: fromCa.serials, crlPartitions: fromCa.partitions } : {}),
  });
  let session: CardFile;
  try {
    // The card file first, created exclusively: a concurrent --new of the same FILE loses here
    // before it overwrites anything beside it.
    session = CardFile.create(file, demo.card, passphrase, stateDirOption());
  } catch (e) {
    if (e instanceof CardStoreError) fail(`--new ${e.message}`);
    throw e;
  }
  const stem = join(dir, parsePath(file).name);
  const pem = (path: string, der: Uint8Array) =>
    writeFileDurably(path, pemOf("CERTIFICATE", der), { mode: 0o644 });
  try {
    pem(`${stem}.sign-root.pem`, demo.roots.sign.der);
    pem(`${stem}.auth-root.pem`, demo.roots.auth.der);
    pem(`${stem}.auth-cert.pem`, demo.authCert);
    if (demo.signCert) pem(`${stem}.sign-cert.pem`, demo.signCert);
  } catch (e) {
    session.close();
    fail(
      `--new ${file}: the card is saved, but a certificate file beside it cannot be written (${errnoOf(e)})`,
    );
  }
  const shown: string[] = [];
  if (given.auth === undefined) shown.push(`auth PIN ${pins.auth}`);
  if (withSign && given.sign === undefined) shown.push(`signature password ${pins.sign}`);
  if (given.text === undefined) shown.push(`card-input-support PIN ${pins.text}`);
  const who = `${resident.name} (born ${resident.birthDate}, ${resident.address})`;
  process.stderr.write(
    `myna-twin: card apdu: new card for ${who} in ${file}${demo.card.locked ? ", issuance-locked" : ""}; roots in ${stem}.{sign,auth}-root.pem\n`,
  );
  if (fromCa)
    process.stderr.write(
      `myna-twin: card apdu: issued by the CA in ${pkiDir}: auth serial ${toHex(fromCa.serials.auth).replaceAll(" ", "")}${fromCa.serials.sign ? `, sign serial ${toHex(fromCa.serials.sign).replaceAll(" ", "")}` : ""}\n`,
    );
  if (shown.length > 0)
    process.stderr.write(`myna-twin: card apdu: generated ${shown.join(", ")} (shown once)\n`);
  return session;
}

function openCard(file: string, passphrase: string): CardFile {
  try {
    return CardFile.open(file, passphrase, stateDirOption());
  } catch (e) {
    if (isInputError(e)) throw new InputError(`card apdu: ${file}: ${e.message}`, e.code, { cause: e });
    if (e instanceof CardStoreError)
      throw new InputError(`card apdu: ${file}: ${e.message}`, e.code, { cause: e });
    throw e;
  }
}

/** One input line → the APDU bytes, `null` for a blank or comment line. @throws InputError on bad hex */
export function apduOfLine(line: string): Uint8Array | null {
  const hash = line.indexOf("#");
  const text = (hash >= 0 ? line.slice(0, hash) : line).trim();
  if (text === "") return null;
  return fromHex(text);
}

export async function cardCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    console.log(CARD_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== "apdu") fail(`unknown subcommand ${JSON.stringify(sub)} (see myna-twin card --help)`);
  const { values, positionals } = parse("card apdu", rest, {
    card: { type: "string" },
    new: { type: "string" },
    passphrase: { type: "string" },
    save: { type: "boolean" },
    seed: { type: "string" },
    name: { type: "string" },
    address: { type: "string" },
    "birth-date": { type: "string" },
    sex: { type: "string" },
    "my-number": { type: "string" },
    "auth-pin": { type: "string" },
    "sign-password": { type: "string" },
    "text-pin": { type: "string" },
    locked: { type: "boolean" },
    pki: { type: "string" },
  });
  if (values.help) {
    console.log(CARD_HELP);
    return 0;
  }
  if (positionals.length > 0)
    fail(`unexpected argument ${JSON.stringify(positionals[0])}; APDUs come on stdin`);
  const cardFile = values.card as string | undefined;
  const newFile = values.new as string | undefined;
  if ((cardFile === undefined) === (newFile === undefined))
    fail("give exactly one of --card FILE or --new FILE");
  if (cardFile !== undefined) {
    const misplaced = NEW_ONLY.find((k) => values[k] !== undefined);
    if (misplaced) fail(`--${misplaced} only applies with --new`);
  }
  const passphrase = (values.passphrase as string | undefined) ?? process.env.MYNA_CARD_PASSPHRASE;
  if (passphrase === undefined || passphrase === "")
    fail("the card file is encrypted: give --passphrase TEXT or set MYNA_CARD_PASSPHRASE");
  const file = (cardFile ?? newFile)!;
  const session =
    cardFile !== undefined ? openCard(file, passphrase) : await newCard(file, passphrase, values);

  // Signals arrive between two commands (each command and its write are synchronous), so every
  // answered command is on disk; release the card and end with the conventional status.
  const onSignal = (signal: NodeJS.Signals): void => {
    session.close();
    process.stderr.write(`myna-twin: card apdu: ${signal}: session ended, the card is saved\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (process.stdin.isTTY)
      process.stderr.write("myna-twin: card apdu: type hex APDUs, one per line; Ctrl-D ends the session\n");
    let bad = 0;
    for await (const line of inputLines(process.stdin)) {
      let apdu: Uint8Array | null;
      try {
        if ("tooLong" in line) {
          const { bytes, head } = line.tooLong;
          throw new InputError(tooLongMessage(bytes, head));
        }
        apdu = apduOfLine(line.text);
      } catch (e) {
        if (!isInputError(e)) throw e;
        bad++;
        process.stderr.write(
          `myna-twin: card apdu: line ${line.lineNo}: ${e.message}; skipped, the card did not see it\n`,
        );
        continue;
      }
      if (apdu === null) continue;
      let response: Uint8Array;
      try {
        response = session.transmit(apdu);
      } catch (e) {
        if (!(e instanceof CardStoreError)) throw e;
        process.stderr.write(
          `myna-twin: card apdu: line ${line.lineNo}: ${e.message}; the command got no answer and the session ends\n`,
        );
        return 1;
      }
      process.stdout.write(`${toHex(response)}\n`);
    }
    if (bad > 0) {
      process.stderr.write(`myna-twin: card apdu: ${bad} malformed line${bad > 1 ? "s" : ""} skipped\n`);
      return 2;
    }
    return 0;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    session.close();
  }
}
