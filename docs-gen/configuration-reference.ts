/**
 * Renders docs/configuration.md from the schema, so the reference cannot drift from the code
 * (a spec compares the file with this output).
 */
import { z } from "zod";
import { type CrossFieldRule, ERROR_RULES, WARNING_RULES } from "../config/rules";
import { configSchema } from "../config/schema";

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  format?: string;
  pattern?: string;
}

export interface ReferenceRow {
  path: string;
  type: string;
  default: string;
  description: string;
}

export function referenceRows(): ReferenceRow[] {
  const root = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const rows: ReferenceRow[] = [];
  const walk = (schema: JsonSchema, path: string, required: boolean): void => {
    const object = objectOf(schema);
    if (path) {
      rows.push({
        path,
        type: describeType(schema),
        default: schema.default === undefined ? (required ? "required" : "-") : fmt(schema.default),
        description: schema.description ?? "",
      });
    }
    if (object?.properties) {
      for (const [key, child] of Object.entries(object.properties)) {
        walk(
          child,
          path ? `${path}.${key}` : key,
          child.default === undefined && !isOptional(object, key),
        );
      }
    }
  };
  walk(root, "", true);
  return rows;
}

function objectOf(schema: JsonSchema): JsonSchema | undefined {
  if (schema.properties) return schema;
  return schema.anyOf?.find((s) => s.properties);
}

function isOptional(parent: JsonSchema & { required?: string[] }, key: string): boolean {
  return !(parent.required ?? []).includes(key);
}

function describeType(schema: JsonSchema): string {
  if (schema.anyOf) return schema.anyOf.map(describeType).join(" \\| ");
  if (schema.enum) return schema.enum.map((v) => fmt(v)).join(" \\| ");
  if (schema.const !== undefined) return fmt(schema.const);
  if (schema.type === "array") return `${describeType(schema.items ?? {})}[]`;
  if (schema.type === "object" && !schema.properties) return "map of string";
  let type = Array.isArray(schema.type) ? schema.type.join(" \\| ") : (schema.type ?? "any");
  if (schema.format === "cidrv4") type = "IPv4 CIDR";
  if (schema.format === "email") type = "e-mail";
  // zod marks every integer with the safe-integer range; only real bounds are worth printing.
  const bound = (n?: number) =>
    n === undefined || Math.abs(n) === Number.MAX_SAFE_INTEGER ? "" : n;
  const low = bound(schema.minimum ?? schema.exclusiveMinimum);
  const high = bound(schema.maximum);
  if (low !== "" || high !== "") type += ` (${low}..${high})`;
  return type;
}

function fmt(value: unknown): string {
  return `\`${JSON.stringify(value)}\``;
}

/** The reference's list of some rules, each entry's own text. */
function ruleList(rules: readonly CrossFieldRule[]): string {
  return rules.map((r) => `- ${r.doc}`).join("\n");
}

export function renderConfigReference(): string {
  const rows = referenceRows()
    .map((r) => `| \`${r.path}\` | ${r.type} | ${r.default} | ${r.description} |`)
    .join("\n");
  return `# Configuration reference

<!-- Generated from config/schema.ts by \`npm run docs:config\`; a spec fails when it is stale. -->

Each environment is a file in \`config/environments/\` typed as \`EnvironmentInput\`. \`DEPLOY_ENV\`
chooses one (default \`dev\`); \`IMAGE_TAG\` or \`IMAGE_DIGEST\` overrides the image at synth time. Leave a
setting out to take its default. Unknown keys are errors.

| Setting | Type | Default | Meaning |
| --- | --- | --- | --- |
${rows}

## Rules across settings

Each rule is an entry of \`ERROR_RULES\` or \`WARNING_RULES\` in \`config/rules.ts\`, checked before any construct is built, against
the AWS facts in \`facts/\` (each fact names its source). Checks of a single setting are in its row
above. Every broken rule is reported at once, with the setting, the value and the fix:

${ruleList(ERROR_RULES)}

These synthesize, but \`cdktf synth\` and \`npm run synth\` print them as warnings of the stack they
concern, for a reviewer to see once:

${ruleList(WARNING_RULES)}

## Environment variables

| Variable | Effect |
| --- | --- |
| \`DEPLOY_ENV\` | Environment to synthesize (\`dev\`, \`prod\`); default \`dev\` when unset. Set but blank, or naming no environment, is an error. |
| \`IMAGE_TAG\` | Overrides the file's image with this tag; must be an image tag (set but blank is an error). |
| \`IMAGE_DIGEST\` | Overrides the file's image with this digest (\`sha256:\` and 64 hex digits); tasks pull \`image@digest\`. Not with \`IMAGE_TAG\`. |

Synth (not \`npm run dr\`, which deploys no image) also refuses a config with neither a tag nor a
digest, or with both, and, where \`service.immutableImage\` is true (prod), any tag but a release tag
\`vX.Y.Z\` (\`config/image.ts\`): prod names no image in its file, the delivery path passes the release
it deploys.
| \`TF_CLOUD_ORGANIZATION\` | Use Terraform Cloud; workspaces \`<project>-<environment>-<stack>\`. \`TF_CLOUD_HOSTNAME\` (a host name, not a URL), \`TF_CLOUD_PROJECT\` optional. |
| \`TF_STATE_BUCKET\` | Use an S3 backend (a valid bucket name); \`TF_STATE_REGION\` (a known region; default the primary region), \`TF_STATE_LOCK_TABLE\` (DynamoDB locking; otherwise S3 lock files, Terraform 1.10+). Per stack (\`PRIMARY\`, \`FAILOVER\`, \`LINK\`, \`DELIVERY\`, \`DELIVERY_GITHUB\`): \`TF_STATE_BUCKET_<STACK>\`, \`TF_STATE_REGION_<STACK>\` (with its own bucket), \`TF_STATE_LOCK_TABLE_<STACK>\` (a table in that region). With failover on, \`failover\`'s state must not be in the primary region. |

Backend variables are checked together with the settings and reported in the same list: a blank one,
an option of a backend that is not chosen (\`TF_STATE_REGION\` without \`TF_STATE_BUCKET\`), or both
backends at once are errors, never silently ignored. A syntax error in an environment file is reported
as one line with its file, line and column.
`;
}
