/**
 * The one protocol gap we bridge in code: the AWS provider's SDK speaks Smithy RPC v2 CBOR to
 * CloudWatch (`POST /service/GraniteServiceVersion20100801/operation/PutMetricAlarm`), which moto
 * does not understand, while moto does speak the same service's awsJson1.0 protocol. Both
 * protocols carry the same operation with the same member names, so a request translates field
 * for field: CBOR body to JSON body, operation from the path to `X-Amz-Target`; and the response
 * back. Only timestamps and blobs differ in representation.
 */
import { decode, encode, Tag } from "./cbor";

export type Headers = Record<string, string | string[] | undefined>;
export interface RpcOperation {
  readonly target: string;
  readonly operation: string;
}

const RPCV2_PATH = /^\/service\/([^/]+)\/operation\/([^/?]+)/;

/** The operation when the request is RPC v2 CBOR, else undefined. */
export function rpcv2Operation(path: string, headers: Headers): RpcOperation | undefined {
  const match = RPCV2_PATH.exec(path);
  if (!match || !String(headers["smithy-protocol"] ?? "").includes("rpc-v2-cbor")) return undefined;
  return { target: match[1], operation: match[2] };
}

/** Request: CBOR body to the awsJson1.0 body and headers moto understands. */
export function toJsonRequest(
  rpc: RpcOperation,
  headers: Headers,
  body: Buffer,
): { path: string; headers: Headers; body: Buffer } {
  const value: unknown = body.length ? decode(body) : {};
  const json = Buffer.from(JSON.stringify(toJsonValue(value)));
  const out: Headers = { ...headers };
  delete out["smithy-protocol"];
  delete out.accept;
  out["content-type"] = "application/x-amz-json-1.0";
  out["x-amz-target"] = `${rpc.target}.${rpc.operation}`;
  out["content-length"] = String(json.length);
  return { path: "/", headers: out, body: json };
}

/** Response: moto's JSON (result or error) back to CBOR, with the protocol header. */
export function toCborResponse(
  status: number,
  headers: Headers,
  body: Buffer,
): { status: number; headers: Headers; body: Buffer } {
  let value: Record<string, unknown> = {};
  if (body.length) {
    try {
      value = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    } catch {
      // moto answered something that is not JSON (an HTML 404, say): keep it, in the error shape.
      value = { __type: "EmulatorError", message: body.toString("utf8").slice(0, 500) };
    }
  }
  if (status >= 400 && typeof value.__type === "string")
    value.__type = value.__type.split("#").pop();
  const cbor = encode(toCborValue(value));
  const out: Headers = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!["content-type", "content-length", "transfer-encoding"].includes(k)) out[k] = v;
  }
  out["content-type"] = "application/cbor";
  out["smithy-protocol"] = "rpc-v2-cbor";
  out["content-length"] = String(cbor.length);
  return { status, headers: out, body: cbor };
}

// CBOR timestamps arrive as Dates (tag 1); awsJson sends epoch seconds. Blobs: base64 in JSON.
function toJsonValue(v: unknown): unknown {
  if (v instanceof Date) return v.getTime() / 1000;
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonValue(x)]));
  }
  return v;
}

// JSON cannot say which numbers are timestamps; CloudWatch names every timestamp member
// "...Timestamp" (AlarmConfigurationUpdatedTimestamp, StateUpdatedTimestamp, ...), and the SDK
// refuses a timestamp that is not CBOR tag 1. (Whole numbers typed as doubles may stay integers:
// the SDK's CBOR decoder coerces them.)
const TIMESTAMP_KEY = /Timestamp$/;

function toCborValue(v: unknown, key = ""): unknown {
  if (typeof v === "number" && TIMESTAMP_KEY.test(key)) return new Tag(v, 1);
  if (Array.isArray(v)) return v.map((x) => toCborValue(x, key));
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toCborValue(x, k)]));
  }
  return v;
}
