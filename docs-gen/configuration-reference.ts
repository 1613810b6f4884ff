/**
 * Renders docs/configuration.md from the schema, so the reference cannot drift from the code
 * (a spec compares the file with this output).
 */
import { z } from "zod";
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

export function renderConfigReference(): string {
  const rows = referenceRows()
    .map((r) => `| \`${r.path}\` | ${r.type} | ${r.default} | ${r.description} |`)
    .join("\n");
  return `# Configuration reference

<!-- Generated from config/schema.ts by \`npm run docs:config\`; a spec fails when it is stale. -->

Each environment is a file in \`config/environments/\` typed as \`EnvironmentInput\`. \`DEPLOY_ENV\`
chooses one (default \`dev\`); \`IMAGE_TAG\` overrides \`service.imageTag\` at synth time. Leave a setting
out to take its default. Unknown keys are errors.

| Setting | Type | Default | Meaning |
| --- | --- | --- | --- |
${rows}

## Rules across settings

Checked by \`config/rules.ts\` before any construct is built, against the AWS facts in \`facts/\` (each
fact names its source); every broken rule is reported at once, with the setting, the value and the fix.

- \`project\` at most 12 characters and \`environment\` at most 6, so that ALB and target-group names
  (\`<project>-<environment>-<region code>-alb\`) fit AWS's 32 characters; \`environment\` equals the name
  \`DEPLOY_ENV\` chose the file by. The names the project gives must be ones AWS takes: no S3 bucket prefix
  starting \`xn--\`, \`sthree-\` or \`amzn-s3-demo-\`, no load balancer name starting \`internal-\`, no
  security group name starting \`sg-\`, no RDS identifier with two hyphens in a row.
- Regions are commercial AWS regions (\`facts/regions.ts\`); GovCloud, China and other partitions are
  refused. Pinned \`availabilityZones\` exist in their region, once each, one per \`azCount\`; \`azCount\`
  never exceeds the zones an account has there (us-west-1: 2, and zones must be pinned because their
  names differ per account). Unpinned, the region's first zones are used by name: never a zone twice.
- \`vpcCidr\` is written as its network address (no host bits) and avoids loopback, link-local,
  multicast and reserved space. A block outside 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16 is a
  synth warning, as is an opt-in region.
- \`failover.network.region\` differs from \`network.region\`, and the two VPC blocks do not overlap
  (they are peered), when \`failover.enabled\`.
- \`scaling.minCapacity\` <= \`scaling.maxCapacity\`; \`scaling.desiredCount\` within them;
  \`failover.standbyTasks\` <= \`scaling.maxCapacity\`. In \`prod\`, \`minCapacity\` and \`desiredCount\` are
  not both 0 (elsewhere that, or \`minCapacity\` 0 alone, is a synth warning).
- \`service.cpu\` and \`service.memory\` form a valid Fargate size; at least one capacity weight is
  positive (FARGATE_SPOT runs X86_64 and ARM64 alike).
- \`service.environment\` keys are variable names and hold neither \`DATABASE_URL\`/\`SECRET_KEY\`
  (injected from Secrets Manager) nor names that look like secrets.
- \`database.instanceClass\`, \`database.replicaInstanceClass\` and \`failover.replicaInstanceClass\` are
  classes RDS offers for PostgreSQL \`database.engineVersion\` (\`facts/rds.ts\`).
- \`database.backupWindow\` and \`database.maintenanceWindow\` are well-formed UTC windows of at least
  30 minutes that do not overlap; \`database.username\` and \`database.databaseName\` are not names
  PostgreSQL or RDS reserve (\`pg_*\`, \`rdsadmin\`, \`template1\`, SQL key words such as \`user\`).
- \`database.maxAllocatedStorage\` at least 10 % above \`database.allocatedStorage\` (RDS storage
  autoscaling refuses less).
- \`dns.zoneName\` and \`dns.recordName\` are lower-case host names without the final dot; the record
  name does not repeat the zone (\`api\`, not \`api.example.com\`), and together they fit the 64
  characters of an ACM certificate name.
- \`bastion.sshAllowedCidrs\` lists single addresses (/32) only, never \`0.0.0.0/0\`.
- \`alarms.emails\` lists each address once.
- \`dns: null\` requires \`allowHttpOnly: true\`: plain HTTP is never chosen by accident.

## Environment variables

| Variable | Effect |
| --- | --- |
| \`DEPLOY_ENV\` | Environment to synthesize (\`dev\`, \`prod\`); default \`dev\` when unset. Set but blank, or naming no environment, is an error. |
| \`IMAGE_TAG\` | Overrides \`service.imageTag\`; must be an image tag (set but blank is an error). |
| \`TF_CLOUD_ORGANIZATION\` | Use Terraform Cloud; workspaces \`<project>-<environment>-<stack>\`. \`TF_CLOUD_HOSTNAME\` (a host name, not a URL), \`TF_CLOUD_PROJECT\` optional. |
| \`TF_STATE_BUCKET\` | Use an S3 backend (a valid bucket name); \`TF_STATE_REGION\` (a known region; default the primary region), \`TF_STATE_LOCK_TABLE\` (DynamoDB locking; otherwise S3 lock files, Terraform 1.10+). |

Backend variables are checked together with the settings and reported in the same list: a blank one,
an option of a backend that is not chosen (\`TF_STATE_REGION\` without \`TF_STATE_BUCKET\`), or both
backends at once are errors, never silently ignored. A syntax error in an environment file is reported
as one line with its file, line and column.
`;
}
