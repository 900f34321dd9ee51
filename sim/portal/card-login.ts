/**
 * The person's side of a Myna Portal log-in (issue 12 item 6; DESIGN §5 portal: "a CLI that completes
 * the challenge and hands the browser a session"): asks the portal for a challenge, has the simulated
 * card sign it through its APDUs (sim/crypto `cardAuthenticate`: SELECT the JPKI AP, READ BINARY the
 * authentication certificate, VERIFY the auth PIN, COMPUTE DIGITAL SIGNATURE over the challenge's
 * SHA-256 DigestInfo — FACTS §2.6), posts certificate and signature, and returns the session token
 * with the page URL `BASE/portal/#session=TOKEN` (a fragment never reaches a server or its logs).
 * Refusals are {@link PortalLoginError}s saying which step failed: the card's status word (wrong PIN
 * with the tries left, blocked, issuance-locked) or the portal's `{error, message}`.
 * @module
 */
import { InputError } from "../../engine/errors.js";
import { SW, swToString, triesLeftOf } from "../card/status-words.js";
import type { MyNumberCard } from "../card/card.js";
import { cardAuthenticate } from "../crypto/card-auth.js";
import { fromBase64, toBase64 } from "./wire.js";

/** A log-in that did not complete (exit 2 in the CLI: the card, the PIN or the portal said no). */
export class PortalLoginError extends InputError {
  constructor(message: string, code = "E_PORTAL_LOGIN") {
    super(message, code);
  }
}

/** A completed log-in. */
export interface PortalLogin {
  readonly token: string;
  readonly expiresAt: string;
  /** `BASE/portal/#session=TOKEN`: open it in a browser. */
  readonly sessionUrl: string;
}

/** The portal's base URL (http or https, no query or fragment), without a trailing slash. */
export function portalBaseUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new PortalLoginError(
      `--url: expected the service's URL, e.g. http://127.0.0.1:8080, got ${JSON.stringify(text.slice(0, 120))}`,
    );
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new PortalLoginError(`--url: expected http:// or https://, got ${JSON.stringify(u.protocol)}`);
  if (u.search !== "" || u.hash !== "" || u.username !== "" || u.password !== "")
    throw new PortalLoginError("--url: give the service's base URL without credentials, query or fragment");
  return u.href.replace(/\/+$/, "");
}

function cardRefusal(sw: number): PortalLoginError {
  const tries = triesLeftOf(sw);
  if (tries !== undefined)
    return new PortalLoginError(
      tries === 0
        ? "the card refused the PIN and the authentication PIN is now blocked (0 tries left); unblock it at the municipal counter"
        : `the card refused the PIN (${tries} ${tries === 1 ? "try" : "tries"} left before it blocks)`,
      "E_PORTAL_PIN",
    );
  if (sw === SW.BLOCKED)
    return new PortalLoginError(
      "the card's authentication PIN is blocked; unblock it at the municipal counter",
      "E_PORTAL_PIN",
    );
  if (sw === SW.CONDITIONS_NOT_SATISFIED)
    return new PortalLoginError(
      "the card is still issuance-locked (not handed over at the counter)",
      "E_PORTAL_CARD",
    );
  return new PortalLoginError(
    `the card answered ${swToString(sw)} during the authentication`,
    "E_PORTAL_CARD",
  );
}

async function post(
  base: string,
  path: string,
  body: unknown,
  fetchFn: typeof fetch,
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetchFn(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    throw new PortalLoginError(
      `cannot reach ${base}${path} (${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message})`,
      "E_PORTAL_UNREACHABLE",
    );
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new PortalLoginError(
      `${path}: HTTP ${res.status}, not a JSON answer (is ${base} a myna-twin serve --pki DIR --hub DIR?)`,
    );
  }
  const o = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  if (!res.ok)
    throw new PortalLoginError(
      `the portal refused (${path}, HTTP ${res.status}): ${String(o.error ?? "?")}: ${String(o.message ?? "").slice(0, 300)}`,
      "E_PORTAL_REFUSED",
    );
  return o;
}

/**
 * Logs in at `baseUrl` with `card` and its auth `pin`.
 * @throws PortalLoginError naming the step that failed
 */
export async function loginWithCard(
  baseUrl: string,
  card: Pick<MyNumberCard, "reset" | "transmit">,
  pin: string,
  fetchFn: typeof fetch = fetch,
): Promise<PortalLogin> {
  const base = portalBaseUrl(baseUrl);
  const c = await post(base, "/v1/portal/login/challenge", {}, fetchFn);
  let challenge: Uint8Array;
  try {
    challenge = fromBase64(c.challenge, "challenge", 64);
  } catch (e) {
    throw new PortalLoginError(`/v1/portal/login/challenge: ${(e as Error).message}`);
  }
  if (typeof c.challengeId !== "string")
    throw new PortalLoginError("/v1/portal/login/challenge: no challengeId");
  const answer = cardAuthenticate(card, pin, challenge);
  if (answer.sw !== SW.OK) throw cardRefusal(answer.sw);
  const r = await post(
    base,
    "/v1/portal/login",
    {
      challengeId: c.challengeId,
      certificate: toBase64(answer.certificate),
      signature: toBase64(answer.signature),
    },
    fetchFn,
  );
  if (typeof r.token !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(r.token))
    throw new PortalLoginError("/v1/portal/login: the answer has no session token");
  return {
    token: r.token,
    expiresAt: String(r.expiresAt ?? ""),
    sessionUrl: `${base}/portal/#session=${r.token}`,
  };
}
