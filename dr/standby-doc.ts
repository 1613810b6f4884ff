/**
 * Two sections of docs/disaster-recovery.md: what region B's standby needs at recovery (image,
 * network, database, target checks), and how to get credentials when region A is gone. Values
 * are prod's.
 */
import type { AppConfig } from "../config/schema";
import { NameCatalogue } from "../naming/catalogue";
import { TARGET_THRESHOLDS } from "./outage";

/** "A standby that needs nothing from outside B", with prod's names and numbers. */
export function standbySection(prod: AppConfig): string {
  const B = prod.failover.network.region;
  const names = NameCatalogue.of(prod.project, prod.environment, B);
  const every = prod.failover.targetHealthCheckIntervalSeconds;
  const cached = prod.failover.imageSource === "regionalCache";
  return `## What region B needs at recovery

Recovery starts new tasks in B (\`dr promote\` redeploys B's service). What those tasks need, and
where it comes from:

- **The image, from B's own ECR** (\`failover.imageSource: regionalCache\`, prod: ${cached ? "on" : "off"}). An ECR
  pull-through cache of ghcr.io in B (prefix \`${names.imageCachePrefix}\`); B's task definition pulls
  \`<account>.dkr.ecr.${B}.amazonaws.com/${names.imageCachePrefix}/<ghcr path>@sha256:<digest>\`, the digest (or
  release tag) that prod's synth insists on (\`IMAGE_DIGEST\`/\`IMAGE_TAG\`, config/image.ts), never a
  moving tag. ECR holds an image only after a first pull: **the standby task makes it**, at every
  deploy of \`failover\` with a new digest (a release deploys it), so by the time region A is lost the
  digest B runs is in B's registry, and a recovery's pulls need neither GHCR nor the internet. With
  \`failover.standbyTasks: 0\` nothing fills it (synth warns, \`cold-image-cache\`). The execution role
  may pull that one repository and fill it (\`ecr:BatchImportUpstreamImage\`, \`ecr:CreateRepository\` on
  its ARN); no registry credentials go to the task. Cost: the secret and the cached layers, priced in
  docs/architecture.md.

  ECR reaches ghcr.io only with a GitHub user and token (classic token with \`read:packages\`), kept in
  the secret \`${names.imageCacheSecret}\` (output \`image_cache_secret_name\`), which ECR reads when the
  rule is created. Its value comes from the ephemeral, sensitive variables \`image_cache_username\` and
  \`image_cache_token\` through a write-only argument, so no token is ever in the synthesized JSON, the
  plan or the state; the deploy workflow passes the environment's secrets \`IMAGE_CACHE_USERNAME\` and
  \`IMAGE_CACHE_TOKEN\` (by hand: \`TF_VAR_image_cache_username\`, \`TF_VAR_image_cache_token\`; in
  Terraform Cloud, sensitive workspace variables). An empty one stops the plan, naming the variable.
  To rotate the token, pass the new one and raise \`image_cache_credentials_version\` by one.
  \`npm run dr -- status\` checks the cache: its \`image\` line is NOT READY until B's repository holds
  the digest B's task definition names (a release whose standby rollout failed leaves it uncached). It is encrypted with \`aws/secretsmanager\`, not B's key: ECR reads it as its
  pull-through cache service-linked role, which has no KMS grant on our key.
- **The network.** The task pulls from ECR, whose layers come from S3 through the VPC's gateway
  endpoint (free), and reads Secrets Manager and writes CloudWatch Logs. Until the promoted deploy
  replaces it by NAT gateways, those go through B's one NAT instance (\`failover.standbyEgress\`), so its
  AZ must be up for a task to start. \`failover.network.interfaceEndpoints: true\` puts ECR, Secrets
  Manager and CloudWatch Logs endpoints in every app subnet of B, after which a task start needs no
  NAT at all, at the price of four interface endpoints per AZ, which puts the pilot light well above
  its budget of a quarter of the primary (docs/architecture.md, "What the pilot light costs"). Off
  by default in B (prod: ${prod.failover.network.interfaceEndpoints ? "on" : "off"}); turn it on where a single AZ on the recovery path is not
  acceptable.
- **The database.** B's tasks find the promoted writer at the same endpoint the replica always had
  (RDS keeps an instance's endpoint through promotion) and with the same user and password (a replica
  carries its source's; B's secret already holds them, from B's copy of A's secret). Only the host in
  \`DATABASE_URL\` changes, from A's writer to B's instance. A redeploy stays: ECS resolves a task's
  secrets when the task starts, and the app reads \`DATABASE_URL\` once, so a running task cannot
  follow a changed secret; avoiding it would need either a name that moves (a Route53 record, whose
  API is in us-east-1) or pointing B's tasks at B's replica before it is promoted (they would then
  serve reads and fail writes, and point at a read-only instance if the promotion stopped). What
  \`dr promote\` does instead: it restarts B's tasks as soon as the secret is repointed, before asking
  RDS for Multi-AZ, which may wait minutes for the new writer's first backup.
- **Target checks.** B's target group checks \`${prod.service.healthCheckPath}\` every ${every} s
  (\`failover.targetHealthCheckIntervalSeconds\`): a new task takes traffic after ${TARGET_THRESHOLDS.healthy} passes
  (${TARGET_THRESHOLDS.healthy * every}-${(TARGET_THRESHOLDS.healthy + 1) * every} s), and the standby's target fails ${TARGET_THRESHOLDS.unhealthy} checks (${TARGET_THRESHOLDS.unhealthy * every}-${(TARGET_THRESHOLDS.unhealthy + 1) * every} s) after A's writer
  stops answering, which starts the page. Region A's checks stay at 30 s. Health checks cost nothing.`;
}

/** Break-glass credentials through B's regional STS endpoint. */
export function credentialsSection(prod: AppConfig): string {
  const B = prod.failover.network.region;
  const names = NameCatalogue.of(prod.project, prod.environment, B);
  const role = names.drOperatorRole;
  return `### Credentials when region A is gone

\`npm run dr\` takes credentials from the default chain, and sends every STS call that chain makes
(a profile that assumes a role, a web-identity token) to B's regional endpoint
\`sts.${B}.amazonaws.com\`, whatever region the profile names (\`dr/aws/clients.ts\`; a spec checks the
host). What must not depend on region A is the sign-in before it:

- An IAM Identity Center instance homed in region A fails with A. Keep a **break-glass IAM user**
  (IAM users are global, not homed in a region) with MFA, no console password, and one permission:
  \`sts:AssumeRole\` on the \`${role}\` role (output \`dr_operator_role_arn\`), its access key in the
  team's vault. Test it at each game day.
- Get the role's credentials through B's STS endpoint
  ([regional STS endpoints](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_region-endpoints.html)),
  then run the tool with them:
  \`\`\`sh
  export AWS_STS_REGIONAL_ENDPOINTS=regional AWS_REGION=${B}
  creds=$(AWS_PROFILE=break-glass aws sts assume-role --region ${B} --endpoint-url https://sts.${B}.amazonaws.com \\
    --role-arn arn:aws:iam::<account>:role/${role} --role-session-name "dr-$USER" \\
    --serial-number arn:aws:iam::<account>:mfa/<user> --token-code <code> \\
    --query Credentials --output json)
  export AWS_ACCESS_KEY_ID=$(jq -r .AccessKeyId <<<"$creds") AWS_SECRET_ACCESS_KEY=$(jq -r .SecretAccessKey <<<"$creds") \\
    AWS_SESSION_TOKEN=$(jq -r .SessionToken <<<"$creds")
  npm run dr -- status --env ${prod.environment}
  \`\`\`
  The credentials last an hour (the role's default); \`dr promote\` resumes where it stopped if they
  expire mid-run. The appendix's AWS CLI commands run with the same variables.`;
}
