/**
 * What AWS WAF accepts for a rate-based rule.
 *
 * Source: AWS WAF API Reference, RateBasedStatement `Limit`: "Valid Range: Minimum value of 10.
 * Maximum value of 2000000000" requests per evaluation window (5 minutes by default)
 * (https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html).
 */
export const WAF_RATE_LIMIT = { min: 10, max: 2_000_000_000 } as const;
