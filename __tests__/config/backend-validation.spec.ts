import { backendFromEnv, backendProblems } from "../../config/backend";

type Case = [
  variable: string,
  accepted: Record<string, string>,
  refused: Record<string, string>,
  message: RegExp,
];

/** Each backend rule: variables it accepts (no problem) and ones it refuses with `message`. */
const cases: Case[] = [
  [
    "TF_STATE_BUCKET: adjacent dots",
    { TF_STATE_BUCKET: "acme.tf.state" },
    { TF_STATE_BUCKET: "acme..state" },
    /^TF_STATE_BUCKET: "acme\.\.state" is not a valid S3 bucket name: it must not hold two adjacent dots$/,
  ],
  [
    "TF_STATE_BUCKET: IP form",
    { TF_STATE_BUCKET: "192-168-0-1" },
    { TF_STATE_BUCKET: "192.168.0.1" },
    /^TF_STATE_BUCKET: "192\.168\.0\.1" is not a valid S3 bucket name: it must not look like an IP address$/,
  ],
  [
    "TF_STATE_BUCKET: reserved prefix",
    { TF_STATE_BUCKET: "xn-acme" },
    { TF_STATE_BUCKET: "xn--acme" },
    /^TF_STATE_BUCKET: "xn--acme" is not a valid S3 bucket name: it must not begin with "xn--"/,
  ],
  [
    "TF_STATE_BUCKET: blank",
    {},
    { TF_STATE_BUCKET: " " },
    /^TF_STATE_BUCKET: is set but empty \(" "\); give it a value or unset it$/,
  ],
  [
    "TF_STATE_REGION: known region",
    { TF_STATE_BUCKET: "acme-tf-state", TF_STATE_REGION: "eu-north-1" },
    { TF_STATE_BUCKET: "acme-tf-state", TF_STATE_REGION: "eu-north-9" },
    /^TF_STATE_REGION: "eu-north-9" is not an AWS region; eu-north-\* has eu-north-1$/,
  ],
  [
    "TF_STATE_REGION: only with a bucket",
    { TF_STATE_BUCKET: "acme-tf-state", TF_STATE_REGION: "eu-north-1" },
    { TF_STATE_REGION: "eu-north-1" },
    /^TF_STATE_REGION: "eu-north-1" has no effect without TF_STATE_BUCKET; set TF_STATE_BUCKET or unset TF_STATE_REGION$/,
  ],
  [
    "TF_STATE_LOCK_TABLE: DynamoDB name",
    { TF_STATE_BUCKET: "acme-tf-state", TF_STATE_LOCK_TABLE: "terraform.locks" },
    { TF_STATE_BUCKET: "acme-tf-state", TF_STATE_LOCK_TABLE: "terraform locks" },
    /^TF_STATE_LOCK_TABLE: "terraform locks" is not a DynamoDB table name: 3 to 255 letters, digits, _, - and \.$/,
  ],
  [
    "TF_CLOUD_ORGANIZATION: no spaces",
    { TF_CLOUD_ORGANIZATION: "acme-corp" },
    { TF_CLOUD_ORGANIZATION: "acme corp" },
    /^TF_CLOUD_ORGANIZATION: "acme corp" is not an HCP Terraform organization name: letters, digits, - and _ only \(no spaces\)$/,
  ],
  [
    "TF_CLOUD_HOSTNAME: a host, not a URL",
    { TF_CLOUD_ORGANIZATION: "acme", TF_CLOUD_HOSTNAME: "tfe.example.com:8443" },
    { TF_CLOUD_ORGANIZATION: "acme", TF_CLOUD_HOSTNAME: "https://tfe.example.com/app" },
    /^TF_CLOUD_HOSTNAME: "https:\/\/tfe\.example\.com\/app" is not a host name; give the host only/,
  ],
  [
    "TF_CLOUD_PROJECT: HCP project name",
    { TF_CLOUD_ORGANIZATION: "acme", TF_CLOUD_PROJECT: "Hello You" },
    { TF_CLOUD_ORGANIZATION: "acme", TF_CLOUD_PROJECT: "web!" },
    /^TF_CLOUD_PROJECT: "web!" is not an HCP Terraform project name/,
  ],
  [
    "TF_CLOUD_HOSTNAME: only with an organization",
    { TF_CLOUD_ORGANIZATION: "acme", TF_CLOUD_HOSTNAME: "app.terraform.io" },
    { TF_CLOUD_HOSTNAME: "app.terraform.io" },
    /^TF_CLOUD_HOSTNAME: "app\.terraform\.io" has no effect without TF_CLOUD_ORGANIZATION/,
  ],
  [
    "one backend at a time",
    { TF_CLOUD_ORGANIZATION: "acme" },
    { TF_CLOUD_ORGANIZATION: "acme", TF_STATE_BUCKET: "acme-tf-state" },
    /^TF_CLOUD_ORGANIZATION and TF_STATE_BUCKET: both are set/,
  ],
];

describe("backend variables", () => {
  it.each(cases)("%s", (_name, accepted, refused, message) => {
    expect(backendProblems(accepted)).toEqual([]);
    expect(backendProblems(refused)).toEqual(
      expect.arrayContaining([expect.stringMatching(message)]),
    );
  });

  it("reports every problem at once and refuses to choose a backend", () => {
    const env = { TF_STATE_BUCKET: "Acme..State", TF_STATE_LOCK_TABLE: "a b" };
    expect(backendProblems(env)).toHaveLength(2);
    expect(() => backendFromEnv(env, "dev")).toThrow(/\(2 problems\)/);
  });
});
