/**
 * The connection secret exactly as Terraform writes it (constructs/database-secret.ts:
 * `jsonencode({...})` with `urlencode(password)` in the url), so that the value `dr promote`
 * writes to region B's secret is the one the promoted failover stack will write too: B's tasks
 * see no change of content when `cdktf deploy failover` runs with `failover.promoted: true`.
 *
 * That deploy still shows a change: the provider reads `secret_string` of the version id in its
 * state (the version from before the promotion, which still holds region A's host), and
 * `secret_string` forces a new version, so the plan replaces the secret version with one of
 * identical content. Expected and harmless; not a sign that the two writers disagree.
 */

/** A database connection; `password` is a secret and never printed. */
export interface Connection {
  readonly host: string;
  readonly port: number;
  readonly dbname: string;
  readonly username: string;
  readonly password: string;
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/**
 * Terraform's `urlencode` (Go's url.QueryEscape): keeps A-Z a-z 0-9 - _ . ~, turns a space into
 * +, and writes every other UTF-8 byte as %XX in upper case.
 */
export function terraformUrlEncode(text: string): string {
  let out = "";
  for (const char of wellFormed(text)) {
    if (UNRESERVED.test(char)) out += char;
    else if (char === " ") out += "+";
    else {
      for (const byte of new TextEncoder().encode(char)) {
        out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
      }
    }
  }
  return out;
}

/** Go replaces an unpaired surrogate (invalid UTF-8) by U+FFFD; JavaScript would keep it. */
function wellFormed(text: string): string {
  return text.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    "\ufffd",
  );
}

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** Object keys in Go's order: byte-wise, which is code-unit order for the keys we write. */
function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const object = value as { readonly [key: string]: Json };
    const sorted: { [key: string]: Json } = {};
    for (const key of Object.keys(object).sort()) sorted[key] = sortKeys(object[key]);
    return sorted;
  }
  return typeof value === "string" ? wellFormed(value) : value;
}

const GO_ESCAPES: Readonly<Record<string, string>> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * Terraform's `jsonencode` (Go's encoding/json): compact, keys sorted, and <, >, &, U+2028 and
 * U+2029 escaped as \uXXXX, which JSON.stringify leaves as they are.
 */
export function terraformJsonEncode(value: Json): string {
  // These characters only occur inside strings, so replacing them everywhere is safe.
  return JSON.stringify(sortKeys(value)).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]);
}

/** The connection secret's value, byte for byte what Terraform would write for `connection`. */
export function connectionSecretValue(connection: Connection): string {
  const { host, port, dbname, username, password } = connection;
  return terraformJsonEncode({
    engine: "postgres",
    username,
    password,
    host,
    port,
    dbname,
    url: `postgresql://${username}:${terraformUrlEncode(password)}@${host}:${port}/${dbname}`,
  });
}

/**
 * Reads a connection secret written by Terraform. Errors name the secret and the key, never a
 * value: the secret holds a password.
 */
export function parseConnection(value: string, secretName: string): Connection {
  const fix = "it must be the JSON that the stacks' DatabaseSecret writes";
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error(`secret ${secretName}: its value is not JSON; ${fix}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`secret ${secretName}: its value is not a JSON object; ${fix}`);
  }
  const record = parsed as Record<string, unknown>;
  const text = (key: string): string => {
    const field = record[key];
    if (typeof field !== "string" || !field) {
      throw new Error(`secret ${secretName}: key "${key}" is missing or not a string; ${fix}`);
    }
    return field;
  };
  const port = Number(record.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`secret ${secretName}: key "port" is not a port number; ${fix}`);
  }
  return {
    host: text("host"),
    port,
    dbname: text("dbname"),
    username: text("username"),
    password: text("password"),
  };
}
