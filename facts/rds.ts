/**
 * What RDS for PostgreSQL accepts: instance classes per major engine version, and the shape of
 * the backup and maintenance windows.
 *
 * Instance classes: "Supported DB engines for DB instance classes" and "DB instance class types"
 * in the Amazon RDS User Guide
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Types.html),
 * as of 2025. Availability also differs by region; `aws rds describe-orderable-db-instance-options
 * --engine postgres --engine-version <v> --region <r>` is the authority there. A class AWS adds
 * later is refused until it is added here.
 */

/** PostgreSQL major versions this app deploys (config `database.engineVersion`). */
export const POSTGRES_MAJOR_VERSIONS = ["14", "15", "16", "17"] as const;

const T = ["micro", "small", "medium", "large", "xlarge", "2xlarge"];
const UP_TO = (last: string): string[] => {
  const all = [
    "large",
    "xlarge",
    "2xlarge",
    "4xlarge",
    "8xlarge",
    "12xlarge",
    "16xlarge",
    "24xlarge",
    "32xlarge",
    "48xlarge",
  ];
  return all.slice(0, all.indexOf(last) + 1);
};
const R7I = [...UP_TO("24xlarge"), "48xlarge"];

interface ClassFamily {
  readonly sizes: readonly string[];
  /** Highest PostgreSQL major version offered; absent: every version here. */
  readonly lastMajor?: number;
}

/** Instance families RDS offers for PostgreSQL and their sizes. */
export const POSTGRES_CLASS_FAMILIES: Readonly<Record<string, ClassFamily>> = {
  // Burstable
  t3: { sizes: T },
  t4g: { sizes: T },
  // General purpose
  m5: { sizes: UP_TO("24xlarge") },
  m5d: { sizes: UP_TO("24xlarge") },
  m6g: { sizes: UP_TO("16xlarge") },
  m6gd: { sizes: UP_TO("16xlarge") },
  m6i: { sizes: UP_TO("32xlarge") },
  m6id: { sizes: UP_TO("32xlarge") },
  m6idn: { sizes: UP_TO("32xlarge") },
  m6in: { sizes: UP_TO("32xlarge") },
  m7g: { sizes: UP_TO("16xlarge") },
  m7i: { sizes: R7I },
  m8g: { sizes: [...UP_TO("24xlarge"), "48xlarge"] },
  // Memory optimised
  r5: { sizes: UP_TO("24xlarge") },
  r5b: { sizes: UP_TO("24xlarge") },
  r5d: { sizes: UP_TO("24xlarge") },
  r6g: { sizes: UP_TO("16xlarge") },
  r6gd: { sizes: UP_TO("16xlarge") },
  r6i: { sizes: UP_TO("32xlarge") },
  r6id: { sizes: UP_TO("32xlarge") },
  r6idn: { sizes: UP_TO("32xlarge") },
  r6in: { sizes: UP_TO("32xlarge") },
  r7g: { sizes: UP_TO("16xlarge") },
  r7i: { sizes: R7I },
  r8g: { sizes: [...UP_TO("24xlarge"), "48xlarge"] },
  x2g: { sizes: UP_TO("16xlarge") },
  x2idn: { sizes: ["16xlarge", "24xlarge", "32xlarge"] },
  x2iedn: {
    sizes: ["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge", "24xlarge", "32xlarge"],
  },
  x2iezn: { sizes: ["2xlarge", "4xlarge", "6xlarge", "8xlarge", "12xlarge"] },
  // Previous generation: RDS stopped offering them before PostgreSQL 14.
  t2: { sizes: T, lastMajor: 13 },
  m4: { sizes: [...UP_TO("4xlarge"), "10xlarge", "16xlarge"], lastMajor: 13 },
  r4: { sizes: UP_TO("16xlarge").filter((s) => s !== "12xlarge"), lastMajor: 13 },
};

/**
 * Why RDS would refuse `instanceClass` for PostgreSQL `major`, or undefined when it is offered.
 */
export function postgresClassProblem(instanceClass: string, major: string): string | undefined {
  const match = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass);
  if (!match) return `"${instanceClass}" is not an RDS instance class such as db.t4g.micro`;
  const [, familyName, size] = match;
  const family = Object.hasOwn(POSTGRES_CLASS_FAMILIES, familyName)
    ? POSTGRES_CLASS_FAMILIES[familyName]
    : undefined;
  const current = Object.entries(POSTGRES_CLASS_FAMILIES)
    .filter(([, f]) => f.lastMajor === undefined)
    .map(([name]) => `db.${name}`);
  if (!family) {
    return `"${instanceClass}": RDS for PostgreSQL has no db.${familyName} classes; use a family such as ${current.join(", ")}`;
  }
  if (family.lastMajor !== undefined && Number(major) > family.lastMajor) {
    return `"${instanceClass}" is a previous-generation class RDS does not offer for PostgreSQL ${major} (only up to ${family.lastMajor}); use db.t4g, db.m7g or db.r7g`;
  }
  if (!family.sizes.includes(size)) {
    return `"${instanceClass}": db.${familyName} comes in ${family.sizes.join(", ")}`;
  }
  return undefined;
}

/**
 * Storage autoscaling needs a ceiling at least 10 % above the allocated storage; RDS refuses a
 * smaller one ("InvalidParameterCombination: The maximum allocated storage must be increased by
 * at least 10 percent"; "Managing capacity automatically with Amazon RDS storage autoscaling",
 * Amazon RDS User Guide).
 */
export function minStorageCeiling(allocatedGiB: number): number {
  return Math.ceil((allocatedGiB * 11) / 10);
}

/**
 * RDS window rules. Source: CreateDBInstance, `PreferredBackupWindow` and
 * `PreferredMaintenanceWindow`, in the Amazon RDS API Reference
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html):
 * UTC, `hh24:mi-hh24:mi` and `ddd:hh24:mi-ddd:hh24:mi`, each at least 30 minutes, and the two
 * must not overlap.
 */
export const MIN_WINDOW_MINUTES = 30;
export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const DAY = 24 * 60;
const WEEK = 7 * DAY;

/** A window as minutes from its cycle's start (midnight, or Monday 00:00) and its length. */
export interface Window {
  readonly start: number;
  readonly minutes: number;
}

function clock(text: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [h, m] = [Number(match[1]), Number(match[2])];
  return h < 24 && m < 60 ? h * 60 + m : undefined;
}

/** `hh24:mi-hh24:mi`, possibly across midnight; undefined when malformed or out of range. */
export function parseDailyWindow(text: string): Window | undefined {
  const [from, to, extra] = text.split("-");
  if (extra !== undefined || to === undefined) return undefined;
  const start = clock(from);
  const end = clock(to);
  if (start === undefined || end === undefined) return undefined;
  return { start, minutes: (end - start + DAY) % DAY };
}

/** `ddd:hh24:mi-ddd:hh24:mi`, possibly across the week's end; undefined when malformed. */
export function parseWeeklyWindow(text: string): Window | undefined {
  const match = /^([a-z]{3}):(\d{2}:\d{2})-([a-z]{3}):(\d{2}:\d{2})$/.exec(text);
  if (!match) return undefined;
  const fromDay = DAYS.indexOf(match[1] as (typeof DAYS)[number]);
  const toDay = DAYS.indexOf(match[3] as (typeof DAYS)[number]);
  const from = clock(match[2]);
  const to = clock(match[4]);
  if (fromDay < 0 || toDay < 0 || from === undefined || to === undefined) return undefined;
  const start = fromDay * DAY + from;
  return { start, minutes: (toDay * DAY + to - start + WEEK) % WEEK };
}

/** The daily backup window and the weekly maintenance window share a minute. */
export function windowsOverlap(backup: Window, maintenance: Window): boolean {
  const inWeek = (t: number) => ((t % WEEK) + WEEK) % WEEK;
  for (let day = 0; day < 7; day++) {
    const b0 = day * DAY + backup.start;
    // Overlap of [b0, b0+len) with [m0, m0+len) on a circle of one week.
    const offset = inWeek(maintenance.start - b0);
    if (offset < backup.minutes || inWeek(b0 - maintenance.start) < maintenance.minutes) {
      return true;
    }
  }
  return false;
}
