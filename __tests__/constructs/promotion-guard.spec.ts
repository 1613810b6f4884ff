import { PromotionGuard } from "../../constructs/promotion-guard";
import { synthJson, testStack } from "../helpers";

describe("PromotionGuard", () => {
  const { stack, naming } = testStack("us-west-2");
  new PromotionGuard(stack, "guard", {
    naming,
    replicaIdentifier: "hello-you-test-usw2-db-replica",
    settingsFile: "config/environments/test.ts",
  });
  const json = synthJson(stack);
  const [list] = Object.values(json.data!.aws_db_instances);
  const [listId] = Object.keys(json.data!.aws_db_instances);
  const [replica] = Object.values(json.data!.aws_db_instance);

  it("lists the replica by identifier first, which finds nothing before the first deploy", () => {
    expect(list.filter).toEqual([
      { name: "db-instance-id", values: ["hello-you-test-usw2-db-replica"] },
    ]);
  });

  it("reads the instance only when it exists", () => {
    expect(replica).toMatchObject({
      db_instance_identifier: "hello-you-test-usw2-db-replica",
      count: `\${length(data.aws_db_instances.${listId}.instance_identifiers)}`,
    });
  });

  it("fails the plan (a postcondition, not a check block) once RDS says the replica is a writer", () => {
    expect(json).not.toHaveProperty("check");
    const [condition] = (replica.lifecycle as { postcondition: Record<string, string>[] })
      .postcondition;
    expect(condition.condition).toBe(
      '${self.replicate_source_db != null && self.replicate_source_db != ""}',
    );
    expect(condition.error_message).toContain(
      "hello-you-test-usw2-db-replica is a writer, not a replica",
    );
    expect(condition.error_message).toContain(
      "Set failover.promoted: true in config/environments/test.ts",
    );
  });
});
