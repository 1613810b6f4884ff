/**
 * Prints what a synth of environment `<env>` needs as its release when its file names no image
 * (prod: the delivery path passes one): `IMAGE_DIGEST=<the release under test>`, or nothing.
 * For the checks that synthesize every environment (CI's synth, the checkov gate), as the
 * delivery path would. Usage: node --import tsx harness/release-env.ts <env>
 */
import { ENVIRONMENTS } from "../config";
import { TEST_IMAGE_DIGEST } from "./variants";

const [environment] = process.argv.slice(2);
const input = environment === undefined ? undefined : ENVIRONMENTS[environment];
if (!input) {
  process.stderr.write(`usage: release-env.ts <${Object.keys(ENVIRONMENTS).join("|")}>\n`);
  process.exit(2);
}
const { imageTag, imageDigest } = input.service;
if (imageTag === undefined && imageDigest === undefined) {
  process.stdout.write(`IMAGE_DIGEST=${TEST_IMAGE_DIGEST}\n`);
}
