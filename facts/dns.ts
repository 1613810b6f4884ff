/**
 * DNS names as Route53 and ACM take them, and Route53 health-check limits.
 *
 * Sources: RFC 1035 section 2.3.4 (labels of 1 to 63 characters, names up to 253 written
 * without the final dot); "DNS domain name format" in the Amazon Route 53 Developer Guide
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html); ACM
 * RequestCertificate `DomainName`: at most 64 characters, as the certificate's common name
 * (https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html); Route53
 * CreateHealthCheck `RequestInterval` (10 or 30, fixed once created), `FailureThreshold`
 * (1 to 10) and `ResourcePath` (at most 255 characters)
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html).
 * Route53 publishes health-check metrics only in us-east-1 ("Monitoring health check status and
 * getting notifications", Amazon Route 53 Developer Guide,
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-monitor-view-status.html).
 */
export const MAX_DNS_NAME = 253;
export const MAX_DNS_LABEL = 63;
export const MAX_CERTIFICATE_DOMAIN = 64;
export const HEALTH_CHECK_INTERVALS = [10, 30] as const;
export const HEALTH_CHECK_FAILURE_THRESHOLD = { min: 1, max: 10 } as const;
export const HEALTH_CHECK_MAX_PATH = 255;
export const ROUTE53_METRICS_REGION = "us-east-1";

/** Lower-case letters, digits and inner hyphens; ACM refuses underscores in certificate names. */
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Every rule `name` breaks as a host name (empty when it is one). */
export function dnsNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.endsWith(".")) problems.push("must be written without the final dot");
  if (/[A-Z]/.test(name)) problems.push("must be lower case");
  const labels = name.replace(/\.$/, "").split(".");
  const bad = labels.filter((l) => !LABEL.test(l.toLowerCase()));
  if (bad.length) {
    problems.push(
      `has label${bad.length > 1 ? "s" : ""} ${bad.map((l) => `"${l}"`).join(", ")}: each label holds letters, digits and inner hyphens`,
    );
  }
  const long = labels.filter((l) => l.length > MAX_DNS_LABEL);
  if (long.length) problems.push(`has a label over ${MAX_DNS_LABEL} characters`);
  if (name.length > MAX_DNS_NAME) {
    problems.push(`is ${name.length} characters; DNS allows ${MAX_DNS_NAME}`);
  }
  return problems;
}
