/**
 * `myna-twin portal login --card FILE --pin PIN --url URL`: logs in to the Myna Portal of a running
 * `myna-twin serve --pki DIR --hub DIR` with a simulated card (sim/portal/card-login.ts: the JPKI
 * challenge signed through the card's APDUs, every PIN-counter change written to the card file
 * before the next step, as `card apdu` does) and prints the page's session URL
 * `URL/portal/#session=TOKEN` on stdout — open it in a browser. The card file's passphrase comes from
 * `--passphrase` or `MYNA_CARD_PASSPHRASE`. Bad flags, a wrong PIN, a locked card or a refusal by the
 * portal: one message on stderr, exit 2.
 * @module
 */
import { InputError, isInputError } from "../engine/errors.js";
import { CardFile, CardStoreError, PIN_POLICIES, pinFormatProblem } from "../sim/card/index.js";
import { loginWithCard, portalBaseUrl } from "../sim/portal/card-login.js";
import { parse } from "./args.js";

export const PORTAL_HELP = `Usage: myna-twin portal login --card FILE --pin PIN --url URL [--passphrase TEXT]

Logs in to the Myna Portal of a running myna-twin serve --pki DIR --hub DIR with a simulated My
Number card: asks the portal for a challenge, has the card sign it through its APDUs (SELECT the
JPKI AP, READ BINARY the authentication certificate, VERIFY the auth PIN, COMPUTE DIGITAL SIGNATURE),
sends certificate and signature, and prints the page's URL with the session on stdout:

  URL/portal/#session=TOKEN

Open it in a browser: the page fetches your provision records and checks every proof itself. The
session sits in the URL fragment, which browsers never send to a server.

Options:
  --card FILE         the card file (made by myna-twin card apdu --new FILE --pki DIR)
  --pin PIN           the card's authentication PIN (4 digits); a wrong PIN costs a try, as at a
                      real reader (3 tries, then the PIN blocks)
  --url URL           the service's base URL, as serve printed it (listening on URL)
  --passphrase TEXT   passphrase of the card file (default: $MYNA_CARD_PASSPHRASE)
  -h, --help          this help

Exit codes: 0 logged in, 2 bad input or refused (flag, card file, PIN, portal's answer), 1 internal failure.`;

function fail(message: string, code?: string): never {
  throw new InputError(`portal login: ${message}`, code);
}

export async function portalCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    console.log(PORTAL_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== "login")
    throw new InputError(`portal: unknown subcommand ${JSON.stringify(sub)} (see myna-twin portal --help)`);
  const { values, positionals } = parse("portal login", rest, {
    card: { type: "string" },
    pin: { type: "string" },
    url: { type: "string" },
    passphrase: { type: "string" },
  });
  if (values.help) {
    console.log(PORTAL_HELP);
    return 0;
  }
  if (positionals.length > 0) fail(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const card = values.card as string | undefined;
  const pin = values.pin as string | undefined;
  const url = values.url as string | undefined;
  if (!card) fail("--card FILE is required (a card made by myna-twin card apdu --new FILE --pki DIR)");
  if (pin === undefined) fail("--pin PIN is required (the card's 4-digit authentication PIN)");
  if (!url) fail("--url URL is required (the base URL myna-twin serve printed)");
  // Checked before the card is touched: a malformed PIN never costs a try.
  if (pinFormatProblem(PIN_POLICIES.auth, pin))
    fail(`--pin: the ${PIN_POLICIES.auth.label} is 4 digits, got ${pin.length} characters`);
  let base: string;
  try {
    base = portalBaseUrl(url);
  } catch (e) {
    if (isInputError(e)) fail(e.message, e.code);
    throw e;
  }
  const passphrase = (values.passphrase as string | undefined) ?? process.env.MYNA_CARD_PASSPHRASE;
  if (passphrase === undefined || passphrase === "")
    fail("the card file is encrypted: give --passphrase TEXT or set MYNA_CARD_PASSPHRASE");
  let session: CardFile;
  try {
    session = CardFile.open(
      card,
      passphrase,
      process.env.MYNA_CARD_STATE_DIR ? { stateDir: process.env.MYNA_CARD_STATE_DIR } : {},
    );
  } catch (e) {
    if (isInputError(e) || e instanceof CardStoreError)
      fail(`${card}: ${(e as Error).message}`, (e as InputError).code);
    throw e;
  }
  try {
    const login = await loginWithCard(
      base,
      { reset: () => session.card.reset(), transmit: (a) => session.transmit(a) },
      pin,
    );
    process.stderr.write(`myna-twin: portal login: logged in; the session expires at ${login.expiresAt}\n`);
    process.stdout.write(`${login.sessionUrl}\n`);
    return 0;
  } catch (e) {
    if (isInputError(e)) fail(e.message, e.code);
    if (e instanceof CardStoreError) {
      process.stderr.write(`myna-twin: portal login: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    session.close();
  }
}
