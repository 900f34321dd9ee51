/**
 * `myna-twin card apdu`: a virtual card reader in front of a simulated My Number card (sim/card,
 * FACTS.md §2 — the JPKI AP and 券面事項入力補助AP bytes and status words). Command APDUs come in as
 * hex on stdin, one per line (spaces between bytes allowed, `#` starts a comment, blank lines are
 * skipped); each response (data ‖ SW1 SW2) goes out as one line of upper-case spaced hex on stdout.
 *
 * - A line that is not hex never reaches the card: stderr gets `line N: …`, the reader goes on with
 *   the next line, and the command exits 2 at the end (the card state is still saved with `--save`,
 *   so a bad line cannot be used to undo spent PIN tries). A malformed APDU is the card's business:
 *   it answers a status word (6700, 6D00, …).
 * - `--card FILE` opens a saved card (sim/card card-store.ts: scrypt + AES-256-GCM, so the passphrase
 *   comes from `--passphrase` or `MYNA_CARD_PASSPHRASE`). `--new FILE` personalises a card for a demo
 *   resident (sim/jpki/demo-card.ts) under two fresh J-LIS demo roots and writes, beside FILE,
 *   `<stem>.sign-root.pem`, `<stem>.auth-root.pem`, `<stem>.auth-cert.pem` and `<stem>.sign-cert.pem`.
 * - `--save` writes the card back after the session: PIN counters persist, as on a real card.
 * @module
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join, parse as parsePath } from "node:path";
import { createInterface } from "node:readline";
import { InputError, isInputError } from "../engine/errors.js";
import { PIN_POLICIES, fromHex, loadCard, pinFormatProblem, saveCard, toHex } from "../sim/card/index.js";
import type { MyNumberCard } from "../sim/card/index.js";
import { ageOn, generatePins, issueDemoCard, SIGNATURE_CERT_MIN_AGE } from "../sim/jpki/demo-card.js";
import type { CardPins } from "../sim/jpki/demo-card.js";
import { pemOf } from "../sim/jpki/pem.js";
import { demoResident, isValidMyNumber, prefectureOf } from "../sim/jpki/resident.js";
import type { DemoResident } from "../sim/jpki/resident.js";
import { integerFlag, parse } from "./args.js";

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
  --save                  write the card's state (PIN counters, lock) back to FILE afterwards

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
  -h, --help              this help

A line that is not hex is reported on stderr with its line number and skipped (the card never
sees it); the reader goes on and exits 2 at the end. Malformed APDUs get the card's status word.
Exit codes: 0 ok, 2 bad input (flag, card file, passphrase, a malformed hex line), 1 internal failure.`;

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
] as const;

/** Write `content` to `file` through a temporary sibling and a rename (card files 0600, PEM 0644). */
function writeAtomic(file: string, content: string | Uint8Array, mode = 0o600): void {
  const tmp = join(dirname(file), `.${parsePath(file).base}.${randomBytes(4).toString("hex")}.tmp`);
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, file);
}

function fail(message: string): never {
  throw new InputError(`card apdu: ${message}`);
}

function residentFrom(values: Record<string, unknown>): DemoResident {
  const str = (k: string) => values[k] as string | undefined;
  const base = demoResident(integerFlag("seed", str("seed"), 1, 0, 2 ** 53 - 1));
  const birthDate = str("birth-date") ?? base.birthDate;
  if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(birthDate) || Number.isNaN(Date.parse(birthDate)))
    fail(`--birth-date: expected YYYY-MM-DD, got ${JSON.stringify(birthDate)}`);
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

async function newCard(
  file: string,
  passphrase: string,
  values: Record<string, unknown>,
): Promise<MyNumberCard> {
  if (existsSync(file)) fail(`--new ${file}: the file exists; open it with --card ${file}`);
  const resident = residentFrom(values);
  const issuedAt = Date.now();
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
  const demo = await issueDemoCard({ resident, pins, issuedAt, locked: values.locked === true });
  const stem = join(dirname(file), parsePath(file).name);
  writeAtomic(`${stem}.sign-root.pem`, pemOf("CERTIFICATE", demo.roots.sign.der), 0o644);
  writeAtomic(`${stem}.auth-root.pem`, pemOf("CERTIFICATE", demo.roots.auth.der), 0o644);
  writeAtomic(`${stem}.auth-cert.pem`, pemOf("CERTIFICATE", demo.authCert), 0o644);
  if (demo.signCert) writeAtomic(`${stem}.sign-cert.pem`, pemOf("CERTIFICATE", demo.signCert), 0o644);
  writeAtomic(file, saveCard(demo.card, passphrase));
  const shown: string[] = [];
  if (given.auth === undefined) shown.push(`auth PIN ${pins.auth}`);
  if (withSign && given.sign === undefined) shown.push(`signature password ${pins.sign}`);
  if (given.text === undefined) shown.push(`card-input-support PIN ${pins.text}`);
  const who = `${resident.name} (born ${resident.birthDate}, ${resident.address})`;
  process.stderr.write(
    `myna-twin: card apdu: new card for ${who} in ${file}${demo.card.locked ? ", issuance-locked" : ""}; roots in ${stem}.{sign,auth}-root.pem\n`,
  );
  if (shown.length > 0)
    process.stderr.write(`myna-twin: card apdu: generated ${shown.join(", ")} (shown once)\n`);
  return demo.card;
}

function openCard(file: string, passphrase: string): MyNumberCard {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    fail(`--card ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return loadCard(bytes, passphrase);
  } catch (e) {
    if (isInputError(e)) throw new InputError(`card apdu: ${file}: ${e.message}`, e.code, { cause: e });
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
  const card = cardFile !== undefined ? openCard(file, passphrase) : await newCard(file, passphrase, values);

  if (process.stdin.isTTY)
    process.stderr.write("myna-twin: card apdu: type hex APDUs, one per line; Ctrl-D ends the session\n");
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  let bad = 0;
  for await (const line of rl) {
    lineNo++;
    let apdu: Uint8Array | null;
    try {
      apdu = apduOfLine(line);
    } catch (e) {
      if (!isInputError(e)) throw e;
      bad++;
      process.stderr.write(
        `myna-twin: card apdu: line ${lineNo}: ${e.message}; skipped, the card did not see it\n`,
      );
      continue;
    }
    if (apdu === null) continue;
    process.stdout.write(`${toHex(card.transmit(apdu))}\n`);
  }
  if (values.save) writeAtomic(file, saveCard(card, passphrase));
  if (bad > 0) {
    process.stderr.write(`myna-twin: card apdu: ${bad} malformed line${bad > 1 ? "s" : ""} skipped\n`);
    return 2;
  }
  return 0;
}
