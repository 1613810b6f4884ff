import {
  GLOBAL_READS,
  REGIONAL_READS,
  terraformPlanStatements,
} from "../../constructs/terraform-plan-policy";
import { ACCOUNT, expandAction } from "../iam-simulator";

const statements = terraformPlanStatements({
  regions: ["us-east-1", "us-west-2"],
  secretArns: [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:hello-you-prod-*`],
  accountId: ACCOUNT,
  partition: "aws",
});

describe("terraformPlanStatements", () => {
  it("grants only actions the service authorization reference calls Read or List", async () => {
    // kms:Decrypt is filed as Write; here it only opens secret values through Secrets Manager
    // (the ViaService condition below): the plan's one way to read what it refreshes.
    const patterns = statements.flatMap((s) => [s.Action ?? []].flat());
    const expanded = (await Promise.all(patterns.map(expandAction))).flat();
    expect(expanded.length).toBeGreaterThan(patterns.length);
    const writes = expanded.filter((a) => a.level !== "Read" && a.level !== "List");
    expect(writes).toEqual([{ action: "kms:Decrypt", level: "Write" }]);
  });

  it("keeps regional reads in the stack's regions and decrypts only through Secrets Manager", () => {
    expect(statements.map((s) => s.Sid)).toEqual([
      "RefreshReadsInThisStacksRegions",
      "RefreshReadsOfGlobalServices",
      "ReadThisStacksSecretsForRefresh",
      "DecryptThemThroughSecretsManagerOnly",
    ]);
    expect(statements[0]).toMatchObject({
      Action: REGIONAL_READS,
      Condition: { StringEquals: { "aws:RequestedRegion": ["us-east-1", "us-west-2"] } },
    });
    expect(statements[1].Action).toEqual(GLOBAL_READS);
    expect(statements[3].Condition).toEqual({
      StringEquals: {
        "kms:ViaService": [
          "secretsmanager.us-east-1.amazonaws.com",
          "secretsmanager.us-west-2.amazonaws.com",
        ],
      },
    });
    expect(JSON.stringify(statements)).not.toContain("s3:GetObject");
  });

  it("reads no secret for a stack that has none", () => {
    const none = terraformPlanStatements({
      regions: ["us-east-1"],
      secretArns: [],
      accountId: ACCOUNT,
      partition: "aws",
    });
    expect(none.map((s) => s.Sid)).toEqual([
      "RefreshReadsInThisStacksRegions",
      "RefreshReadsOfGlobalServices",
    ]);
  });
});
