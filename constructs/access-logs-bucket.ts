import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { type CommonProps, type PolicyStatement, policyDocument, buildContext } from "./common";
import { NameCatalogue } from "../naming/catalogue";
import { ConstructError } from "./stack-context";

export interface AccessLogsBucketProps extends CommonProps {
  /** Account of the provider: ALB log delivery writes under `AWSLogs/<account>/`. */

  /**
   * Account, partition and region of the provider.
   * @default the stack's, found from the scope
   */
  readonly aws?: AwsContext;
  /** Days log objects are kept. */
  readonly retentionDays: number;
  /** Key prefix the load balancer writes under. */
  readonly prefix: string;
  /**
   * Let `cdktf destroy` delete a bucket that still holds logs.
   * @default false
   */
  readonly forceDestroy?: boolean;
}

/**
 * Regions opened before August 2022 deliver ALB logs from an ELB-owned account; later regions
 * from the `logdelivery.elasticloadbalancing.amazonaws.com` service principal.
 */
const ELB_ACCOUNT_REGIONS = new Set([
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "af-south-1",
  "ap-east-1",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "ca-central-1",
  "eu-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-south-1",
  "eu-north-1",
  "me-south-1",
  "sa-east-1",
  "us-gov-west-1",
  "us-gov-east-1",
]);

/**
 * A private, versioned, TLS-only bucket that receives load-balancer access logs and expires them.
 * ALB log delivery supports only S3-managed keys (SSE-S3), not KMS.
 */
export class AccessLogsBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: AccessLogsBucketProps) {
    super(scope, id);
    const { naming, provider, aws } = buildContext(this, props);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new ConstructError(
        this,
        `AccessLogsBucket: retentionDays ${props.retentionDays} must be a whole number of days, 1 or more`,
      );
    }
    if (!/^[a-z0-9-]+$/.test(props.prefix)) {
      throw new ConstructError(
        this,
        `AccessLogsBucket: prefix "${props.prefix}" must be lower-case letters, digits and hyphens`,
      );
    }
    this.bucket = new S3Bucket(this, "bucket", {
      provider,
      bucketPrefix: new NameCatalogue(naming).accessLogsBucketPrefix,
      forceDestroy: props.forceDestroy ?? false,
    });
    const bucket = this.bucket.id;
    new S3BucketPublicAccessBlock(this, "public-access", {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      provider,
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketVersioningA(this, "versioning", {
      provider,
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      provider,
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider,
      bucket,
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: props.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });

    const logObjects = `${this.bucket.arn}/${props.prefix}/AWSLogs/${aws.accountId}/*`;
    const deliverer: PolicyStatement["Principal"] = ELB_ACCOUNT_REGIONS.has(naming.region)
      ? { AWS: new DataAwsElbServiceAccount(this, "elb-account", { provider }).arn }
      : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
    this.policy = new S3BucketPolicy(this, "policy", {
      provider,
      bucket,
      policy: policyDocument([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Sid: "LoadBalancerLogDelivery",
          Effect: "Allow",
          Principal: deliverer,
          Action: "s3:PutObject",
          Resource: logObjects,
        },
      ]),
    });
  }
}
