import { ReplicaSecrets } from "../../constructs/replica-secrets";
import { synthJson, testStack } from "../helpers";

describe("ReplicaSecrets", () => {
  it("looks replicas up by name in its region", () => {
    const { stack, naming } = testStack("us-west-2");
    const replicas = new ReplicaSecrets(stack, "replicas", {
      naming,
      names: { secretKey: "hello-you-prod-use1-secret-key" },
    });
    const json = synthJson(stack);
    expect(Object.values(json.data?.aws_secretsmanager_secret ?? {})).toEqual([
      { name: "hello-you-prod-use1-secret-key" },
    ]);
    expect(replicas.arns.secretKey).toMatch(/TfToken/);
  });

  it("rejects an empty name", () => {
    const { stack, naming } = testStack();
    expect(
      () => new ReplicaSecrets(stack, "replicas", { naming, names: { registry: "" } }),
    ).toThrow("ReplicaSecrets: names.registry is empty");
  });
});
