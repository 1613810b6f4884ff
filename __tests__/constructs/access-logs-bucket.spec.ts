import { AccessLogsBucket, type AccessLogsBucketProps } from "../../constructs/access-logs-bucket";
import { listOf, policiesOf, synthJson, testStack } from "../helpers";

function build(region: string, patch: Partial<AccessLogsBucketProps> = {}) {
  const { stack, naming, aws } = testStack(region);
  new AccessLogsBucket(stack, "logs", {
    naming,
    aws,
    retentionDays: 30,
    prefix: "alb",
    ...patch,
  });
  return synthJson(stack);
}
const deliverer = (json: ReturnType<typeof synthJson>) =>
  policiesOf(json, "aws_s3_bucket_policy")[0].Statement.find(
    (s) => s.Sid === "LoadBalancerLogDelivery",
  )!;

describe("AccessLogsBucket", () => {
  it("lets the region's ELB account deliver in regions opened before August 2022", () => {
    expect(deliverer(build("us-east-1")).Principal).toEqual({
      AWS: expect.stringContaining("data.aws_elb_service_account"),
    });
  });

  it("lets the log-delivery service principal deliver in newer regions", () => {
    const json = build("ap-southeast-3");
    expect(deliverer(json).Principal).toEqual({
      Service: "logdelivery.elasticloadbalancing.amazonaws.com",
    });
    expect(json.data?.aws_elb_service_account).toBeUndefined();
  });

  it("encrypts with S3-managed keys, the only kind ALB delivery supports, and keeps versions a day", () => {
    const json = build("us-east-1");
    expect(listOf(json, "aws_s3_bucket_server_side_encryption_configuration")[0].rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(listOf(json, "aws_s3_bucket_versioning")[0]).toMatchObject({
      versioning_configuration: { status: "Enabled" },
    });
    expect(listOf(json, "aws_s3_bucket_ownership_controls")[0]).toMatchObject({
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  it.each([
    [
      { retentionDays: 0 },
      "AccessLogsBucket: retentionDays 0 must be a whole number of days, 1 or more",
    ],
    [
      { prefix: "ALB/logs" },
      'AccessLogsBucket: prefix "ALB/logs" must be lower-case letters, digits and hyphens',
    ],
  ])("rejects %j", (patch, message) => {
    expect(() => build("us-east-1", patch)).toThrow(message);
  });
});
