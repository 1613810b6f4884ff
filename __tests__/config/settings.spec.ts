import { ConfigError, environmentName, loadConfig, loadSettings } from "../../config";

/** What the delivery path passes for prod, which names no image of its own. */
const RELEASE = { IMAGE_TAG: "v1.4.2" };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.problems];
  }
  return [];
}

describe("DEPLOY_ENV", () => {
  it("defaults to dev only when unset", () => {
    expect(environmentName({})).toBe("dev");
    expect(loadSettings({}).environment).toBe("dev");
  });

  it("accepts a known environment and refuses a blank one, naming the allowed values", () => {
    expect(loadSettings({ DEPLOY_ENV: "prod", ...RELEASE }).config.environment).toBe("prod");
    expect(problemsOf({ DEPLOY_ENV: "  " })).toEqual([
      'DEPLOY_ENV: is set but empty ("  "); use one of dev, prod, or unset it for dev',
    ]);
    expect(problemsOf({ DEPLOY_ENV: "" })).toHaveLength(1);
  });

  it.each(["constructor", "__proto__", "toString", "hasOwnProperty"])(
    "treats %s as an unknown environment, not an inherited key",
    (name) => {
      expect(problemsOf({ DEPLOY_ENV: name })).toEqual([
        `DEPLOY_ENV: unknown environment "${name}"; use one of dev, prod`,
      ]);
      expect(() => loadConfig(name)).toThrow(ConfigError);
    },
  );
});

describe("IMAGE_TAG", () => {
  it("overrides the tag when valid", () => {
    expect(loadSettings({ IMAGE_TAG: "v1.4.2" }).config.service.imageTag).toBe("v1.4.2");
  });

  it("names the variable, echoes the value and states the rule when invalid", () => {
    expect(problemsOf({ IMAGE_TAG: "-rc1" })).toEqual([
      'IMAGE_TAG: "-rc1" must be an image tag: 1 to 128 letters, digits, _, . and -, not starting with . or -, such as v1.4.2 or sha-1a2b3c4',
    ]);
  });

  it("refuses a blank tag rather than deploying the file's tag in its place", () => {
    expect(problemsOf({ IMAGE_TAG: " " })).toEqual([
      expect.stringMatching(/^IMAGE_TAG: is set but empty \(" "\); give the image to deploy/),
    ]);
  });
});

describe("IMAGE_DIGEST and immutable images", () => {
  const DIGEST = `sha256:${"ab".repeat(32)}`;

  it("runs the image by digest, in place of the file's tag", () => {
    const { service } = loadSettings({ IMAGE_DIGEST: DIGEST }).config;
    expect(service).toMatchObject({ imageDigest: DIGEST });
    expect(service.imageTag).toBeUndefined();
  });

  it("refuses a malformed or blank digest, and both variables at once", () => {
    expect(problemsOf({ IMAGE_DIGEST: "sha256:abc" })).toEqual([
      expect.stringMatching(/^IMAGE_DIGEST: "sha256:abc" must be an image digest: sha256: and 64/),
    ]);
    expect(problemsOf({ IMAGE_DIGEST: "" })).toEqual([
      expect.stringMatching(/^IMAGE_DIGEST: is set but empty/),
    ]);
    expect(problemsOf({ IMAGE_TAG: "v1.0.0", IMAGE_DIGEST: DIGEST })).toEqual([
      "IMAGE_TAG and IMAGE_DIGEST: both are set; pass one (a digest pins the image, a tag names it)",
    ]);
  });

  it("prod: names how to supply the release when none is given", () => {
    expect(problemsOf({ DEPLOY_ENV: "prod" })).toEqual([
      expect.stringMatching(
        /^service\.imageTag: no image to deploy from ghcr\.io\/diogo-pessoa\/hello-you-api\/hello-you-api; pass IMAGE_DIGEST=sha256:<digest> .* or IMAGE_TAG=vX\.Y\.Z/,
      ),
    ]);
  });

  it.each(["latest", "main", "sha-1a2b3c4", "v1.4"])(
    "prod: refuses the moving tag %s (service.immutableImage)",
    (tag) => {
      expect(problemsOf({ DEPLOY_ENV: "prod", IMAGE_TAG: tag })).toEqual([
        expect.stringMatching(
          new RegExp(
            `^service\\.imageTag: "${tag}" can move, and service\\.immutableImage is true`,
          ),
        ),
      ]);
    },
  );

  it.each<Record<string, string>>([
    { IMAGE_TAG: "v2.0.1" },
    { IMAGE_TAG: "v2.1.0-rc.1" },
    { IMAGE_DIGEST: DIGEST },
  ])("prod: deploys a release tag or a digest (%o)", (env) => {
    expect(problemsOf({ DEPLOY_ENV: "prod", ...env })).toEqual([]);
  });

  it("dev: still deploys the file's moving tag (a warning, not an error)", () => {
    expect(loadSettings({}).config.service.imageTag).toBe("latest");
  });

  it("loading prod's config for npm run dr needs no image", () => {
    expect(loadConfig("prod").service.imageTag).toBeUndefined();
  });
});

describe("settings as a whole", () => {
  it("reports environment, config and backend problems together", () => {
    const problems = problemsOf({
      DEPLOY_ENV: "prod",
      IMAGE_TAG: "bad tag",
      TF_STATE_BUCKET: "acme..state",
      TF_STATE_REGION: "eu-west-9",
    });
    expect(problems).toEqual([
      expect.stringMatching(/^IMAGE_TAG: "bad tag"/),
      expect.stringMatching(/^TF_STATE_BUCKET: "acme\.\.state" is not a valid S3 bucket name/),
      expect.stringMatching(/^TF_STATE_REGION: "eu-west-9" is not an AWS region/),
    ]);
  });

  it("still checks IMAGE_TAG and the backend when DEPLOY_ENV names no environment", () => {
    expect(problemsOf({ DEPLOY_ENV: "qa", IMAGE_TAG: "a b", TF_STATE_LOCK_TABLE: "x" })).toEqual([
      expect.stringMatching(/^DEPLOY_ENV: unknown environment "qa"/),
      expect.stringMatching(/^IMAGE_TAG: "a b"/),
      expect.stringMatching(/^TF_STATE_LOCK_TABLE: "x" has no effect without TF_STATE_BUCKET/),
      expect.stringMatching(/^TF_STATE_LOCK_TABLE: "x" is not a DynamoDB table name/),
    ]);
  });

  it("returns the backend choice with the config when all is well", () => {
    expect(
      loadSettings({
        TF_STATE_BUCKET: "acme-tf-state",
        TF_STATE_BUCKET_FAILOVER: "acme-tf-state-usw2",
        TF_STATE_REGION_FAILOVER: "us-west-2",
      }).backend,
    ).toMatchObject({
      kind: "s3",
      bucket: "acme-tf-state",
      stacks: { failover: { bucket: "acme-tf-state-usw2", region: "us-west-2" } },
    });
  });
});

describe("S3 state of the failover stack", () => {
  it.each(["dev", "prod"])(
    "%s: refuses it in region A, naming TF_STATE_REGION_FAILOVER and the fix",
    (environment) => {
      expect(
        problemsOf({ DEPLOY_ENV: environment, ...RELEASE, TF_STATE_BUCKET: "acme-tf-state" }),
      ).toEqual([
        'TF_STATE_REGION_FAILOVER: the failover stack\'s state would be in bucket "acme-tf-state" in us-east-1, region A, out of reach exactly when recovery needs it; set TF_STATE_BUCKET_FAILOVER and TF_STATE_REGION_FAILOVER to a bucket in us-west-2 (or any region but us-east-1)',
      ]);
    },
  );

  it("refuses it when the failover bucket is given in region A too", () => {
    expect(
      problemsOf({
        TF_STATE_BUCKET: "acme-tf-state",
        TF_STATE_BUCKET_FAILOVER: "acme-tf-state-b",
        TF_STATE_REGION_FAILOVER: "us-east-1",
      }),
    ).toEqual([
      expect.stringMatching(
        /^TF_STATE_REGION_FAILOVER: .* bucket "acme-tf-state-b" in us-east-1, region A/,
      ),
    ]);
  });

  it("accepts it in region B (TF_STATE_REGION_FAILOVER=us-west-2 with TF_STATE_BUCKET_FAILOVER)", () => {
    const settings = loadSettings({
      DEPLOY_ENV: "prod",
      ...RELEASE,
      TF_STATE_BUCKET: "acme-tf-state",
      TF_STATE_BUCKET_FAILOVER: "acme-tf-state-usw2",
      TF_STATE_REGION_FAILOVER: "us-west-2",
    });
    expect(settings.environment).toBe("prod");
  });

  it("reports bad per-stack values as backend problems, before the region rule", () => {
    expect(
      problemsOf({
        TF_STATE_BUCKET: "acme-tf-state",
        TF_STATE_BUCKET_FAILOVER: "Acme_B",
        TF_STATE_REGION_FAILOVER: "us-west-9",
      }),
    ).toEqual([
      expect.stringMatching(/^TF_STATE_BUCKET_FAILOVER: "Acme_B" is not a valid S3 bucket name/),
      expect.stringMatching(/^TF_STATE_REGION_FAILOVER: "us-west-9" is not an AWS region/),
    ]);
    expect(problemsOf({ TF_STATE_REGION_FAILOVER: "us-west-2" })).toEqual([
      'TF_STATE_REGION_FAILOVER: "us-west-2" has no effect without TF_STATE_BUCKET; set TF_STATE_BUCKET or unset TF_STATE_REGION_FAILOVER',
    ]);
  });

  it("leaves local and Terraform Cloud state alone", () => {
    expect(loadSettings({}).backend).toEqual({ kind: "local" });
    expect(loadSettings({ TF_CLOUD_ORGANIZATION: "acme" }).backend.kind).toBe("cloud");
  });
});
