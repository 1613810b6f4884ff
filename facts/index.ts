/**
 * AWS, PostgreSQL and Terraform facts that validation (config/) and constructs (constructs/)
 * both rely on, each with its source. Nothing here imports from config/ or constructs/.
 */
export * from "./cidr";
export * from "./dns";
export * from "./fargate";
export * from "./logs";
export * from "./names";
export * from "./rds";
export * from "./regions";
export * from "./waf";
