/**
 * `myna-twin network …`: the live information provision hub's command-line side (issue 12 item 4;
 * sim/network/hub/): `init` makes a hub directory (keys 0600, institutions, lmdb store, manifest
 * last), `enrol` has the core issue an institution's code for a person (and the providers' copies),
 * `request` signs one exchange as an institution and sends it to `serve --hub`, and `retain` deletes
 * record bytes older than 7 years. Bad input: one message, exit 2.
 * @module
 */
import { randomBytes } from "node:crypto";
import { lockDirectory } from "../engine/dir-lock.js";
import { InputError } from "../engine/errors.js";
import { enrol } from "../sim/network/hub/enrolment.js";
import {
  checkProviderAnswer,
  signExchangeRequest,
  type ExchangeResponse,
} from "../sim/network/hub/client.js";
import { HubCore } from "../sim/network/hub/hub-core.js";
import { initHubDirectory, loadHubDirectory, MAX_PER_KIND } from "../sim/network/hub/hub-directory.js";
import { openHubEnv } from "../sim/network/hub/hub-env.js";
import { openHub } from "../sim/network/hub/hub.js";
import { runRetention } from "../sim/network/hub/retention.js";
import { integerFlag, parse } from "./args.js";
import { commandLine } from "./context.js";

export const NETWORK_HELP = `Usage: myna-twin network init --out DIR [--per-kind N]
       myna-twin network enrol --hub DIR --institution ID --my-number N
       myna-twin network request --hub DIR --url URL --as REQUESTER --to PROVIDER --procedure P
                                 --items A,B --code CODE [--exchange-id ID]
       myna-twin network retain --hub DIR [--now ISO-TIME]

The information provision hub (情報提供ネットワークシステム), live: serve it with
  myna-twin serve --pki CA --hub DIR

  init      a hub directory: the core's key (core.key), the tree-head signing key, one Ed25519 key
            pair per institution (institutions/ID.key, 0600; public keys in institutions.json) for
            the first N institutions of every kind of the national directory (default 2, at most
            ${MAX_PER_KIND}), the lmdb store (store/), manifest.json last
  enrol     the core issues institution ID its code for the person with My Number N and prints it
            (one line); the providers that ID's kind may ask get their copies (副本) of the items,
            with synthetic, deterministic values. The My Number stays in the core.
  request   signs one exchange as institution REQUESTER (its key from DIR) and POSTs it to
            URL/v1/network/exchange; prints the items, the record indices and the tree size, and
            checks the provider's signature on the answer
  retain    deletes the bytes of records provided more than 7 years before --now (default: now);
            leaf hashes stay, so proofs still verify

enrol, retain and serve --hub lock the hub directory (DIR/LOCK) while they have it open: one at a
time; a lock left by a process that is gone is taken over.

Exit codes: 0 ok, 2 bad input (flag, directory, or the hub refused the request), 3 the hub is in
use by another process (or a file cannot be written), 1 internal failure.`;

function required(values: Record<string, unknown>, name: string, sub: string): string {
  const v = values[name];
  if (typeof v !== "string" || v === "")
    throw new InputError(`network ${sub}: --${name} is required (see myna-twin network --help)`);
  return v;
}

function noPositionals(positionals: string[], sub: string): void {
  if (positionals.length > 0)
    throw new InputError(
      `network ${sub}: unexpected argument ${JSON.stringify(positionals[0])} (see myna-twin network --help)`,
    );
}

async function init(argv: string[]): Promise<number> {
  const { values, positionals } = parse("network init", argv, {
    out: { type: "string" },
    "per-kind": { type: "string" },
  });
  if (values.help) return (console.log(NETWORK_HELP), 0);
  noPositionals(positionals, "init");
  const out = required(values, "out", "init");
  const perKind = integerFlag("per-kind", values["per-kind"] as string | undefined, 2, 1, MAX_PER_KIND);
  const files = initHubDirectory(out, {
    perKind,
    now: Date.now(),
    command: commandLine(["network", "init", ...argv]),
  });
  const institutions = files.filter((f) => f.startsWith("institutions/")).length;
  console.log(
    `Wrote a hub directory to ${out}: core and tree-head keys (0600), ${institutions} institutions with their Ed25519 keys (0600), an empty record store.`,
  );
  return 0;
}

async function enrolCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse("network enrol", argv, {
    hub: { type: "string" },
    institution: { type: "string" },
    "my-number": { type: "string" },
  });
  if (values.help) return (console.log(NETWORK_HELP), 0);
  noPositionals(positionals, "enrol");
  const dir = required(values, "hub", "enrol");
  const institution = required(values, "institution", "enrol");
  const myNumber = required(values, "my-number", "enrol");
  const files = loadHubDirectory(dir);
  const lock = lockDirectory(dir, `--hub ${dir}`, commandLine(["network", "enrol", ...argv]));
  let env;
  try {
    env = openHubEnv(files.storeDir);
  } catch (e) {
    lock.release();
    throw e;
  }
  try {
    const core = new HubCore(files.coreKey, files.directory, env, { info: () => {}, warn: () => {} });
    let done;
    try {
      done = enrol(core, env, institution, myNumber);
    } catch (e) {
      if (e instanceof InputError)
        throw new InputError(`network enrol: ${e.message.replace(/^my number/, "--my-number")}`);
      throw e;
    }
    console.log(done.code);
    console.error(
      `enrolled at ${done.institution}: code above; ${done.copies} provider copies written (synthetic values)`,
    );
  } finally {
    await env.env.close();
    lock.release();
  }
  return 0;
}

async function requestCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse("network request", argv, {
    hub: { type: "string" },
    url: { type: "string" },
    as: { type: "string" },
    to: { type: "string" },
    procedure: { type: "string" },
    items: { type: "string" },
    code: { type: "string" },
    "exchange-id": { type: "string" },
  });
  if (values.help) return (console.log(NETWORK_HELP), 0);
  noPositionals(positionals, "request");
  const dir = required(values, "hub", "request");
  const url = required(values, "url", "request");
  const as = required(values, "as", "request");
  const to = required(values, "to", "request");
  let base: URL;
  try {
    base = new URL(url);
    if (base.protocol !== "http:" && base.protocol !== "https:") throw new Error("scheme");
  } catch {
    throw new InputError(
      `network request: --url: expected an http(s) URL, got ${JSON.stringify(url.slice(0, 200))}`,
    );
  }
  const files = loadHubDirectory(dir);
  const requester = files.institutions.get(as);
  if (requester === undefined)
    throw new InputError(
      `network request: --as: no institution ${JSON.stringify(as)} in ${dir}/institutions.json`,
    );
  const provider = files.institutions.get(to);
  if (provider === undefined)
    throw new InputError(
      `network request: --to: no institution ${JSON.stringify(to)} in ${dir}/institutions.json`,
    );
  const exchangeId =
    (values["exchange-id"] as string | undefined) ?? `${as}-${Date.now()}-${randomBytes(4).toString("hex")}`;
  let body;
  try {
    body = signExchangeRequest(requester.privateKey, {
      exchangeId,
      requester: as,
      provider: to,
      requesterCode: required(values, "code", "request"),
      procedure: required(values, "procedure", "request"),
      dataItems: required(values, "items", "request").split(","),
      requestedAt: Date.now(),
    });
  } catch (e) {
    if (e instanceof InputError && !e.message.startsWith("network request"))
      throw new InputError(`network request: ${e.message}`);
    throw e;
  }
  let res: Response;
  try {
    res = await fetch(new URL("/v1/network/exchange", base), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new InputError(`network request: cannot reach ${base.origin} (${cause})`);
  }
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new InputError(`network request: the hub answered ${res.status} without JSON`);
  }
  if (res.status !== 200)
    throw new InputError(
      `network request: the hub refused exchange ${exchangeId}: ${res.status} ${String(json.error)}: ${String(json.message)}`,
    );
  const answer = json as unknown as ExchangeResponse;
  const checked = checkProviderAnswer(answer, body, provider.publicKey);
  console.log(`exchange ${answer.exchangeId}: ${as} ← ${to}`);
  for (const [item, value] of Object.entries(answer.items)) console.log(`  ${item} = ${value}`);
  console.log(
    `provider signature: ${checked.ok ? "verified" : `NOT VALID (${checked.reason})`}; records ${answer.records.requester} (requester) and ${answer.records.provider} (provider); tree size ${answer.treeSize}`,
  );
  return checked.ok ? 0 : 1;
}

async function retain(argv: string[]): Promise<number> {
  const { values, positionals } = parse("network retain", argv, {
    hub: { type: "string" },
    now: { type: "string" },
  });
  if (values.help) return (console.log(NETWORK_HELP), 0);
  noPositionals(positionals, "retain");
  const dir = required(values, "hub", "retain");
  const nowText = values.now as string | undefined;
  const now = nowText === undefined ? Date.now() : Date.parse(nowText);
  if (!Number.isSafeInteger(now) || now < 0 || (nowText !== undefined && !/^\d{4}-\d{2}-\d{2}/.test(nowText)))
    throw new InputError(
      `network retain: --now: expected an ISO-8601 time such as 2033-04-01T00:00:00Z, got ${JSON.stringify(nowText)}`,
    );
  const hub = openHub(dir, { now: () => now, holder: commandLine(["network", "retain", ...argv]) });
  try {
    const r = await runRetention(hub.store, now);
    console.log(
      `removed ${r.deleted} record(s) provided before ${new Date(r.cutoff).toISOString()}; leaf hashes kept (tree size ${hub.store.size}, retained before index ${r.retainedBefore})`,
    );
  } finally {
    await hub.close();
  }
  return 0;
}

export async function networkCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case "init":
      return init(rest);
    case "enrol":
      return enrolCommand(rest);
    case "request":
      return requestCommand(rest);
    case "retain":
      return retain(rest);
    case undefined:
    case "--help":
    case "-h":
    case "help":
      console.log(NETWORK_HELP);
      return sub === undefined ? 2 : 0;
    default:
      throw new InputError(
        `network: unknown subcommand ${JSON.stringify(sub)} (init, enrol, request, retain)`,
      );
  }
}
