import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import type { InstanceConfig } from "@cdktf/provider-aws/lib/instance";
import type { Construct } from "constructs";
import { isGravitonInstanceType } from "../facts";
import type { CommonProps } from "./common";
import type { EncryptionKey } from "./encryption-key";

/**
 * The newest Amazon Linux 2023 image for `instanceType`'s architecture (Graviton types: arm64),
 * from AWS's public SSM parameter. Hosts using it ignore later changes of `ami`: the parameter
 * moves with every release, and following it would replace the host at some unplanned apply.
 */
export function amazonLinuxImage(
  scope: Construct,
  provider: CommonProps["provider"],
  instanceType: string,
): DataAwsSsmParameter {
  const arch = isGravitonInstanceType(instanceType) ? "arm64" : "x86_64";
  return new DataAwsSsmParameter(scope, "ami", {
    provider,
    name: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
  });
}

/**
 * What every EC2 host here has: IMDSv2 only, one hop, and an encrypted gp3 root volume of
 * `rootVolumeGiB` (default: the image's own size).
 */
export function hardenedHost(
  kmsKey: EncryptionKey,
  rootVolumeGiB?: number,
): Pick<InstanceConfig, "metadataOptions" | "rootBlockDevice"> {
  return {
    metadataOptions: {
      httpTokens: "required",
      httpEndpoint: "enabled",
      httpPutResponseHopLimit: 1,
    },
    rootBlockDevice: {
      volumeType: "gp3",
      encrypted: true,
      kmsKeyId: kmsKey.arn,
      deleteOnTermination: true,
      ...(rootVolumeGiB ? { volumeSize: rootVolumeGiB } : {}),
    },
  };
}
