#!/usr/bin/env bash
# Finds or installs the Terraform CLI and builds the AWS and random providers from the Go module
# proxy (the only place this project's machines can get them), into a cache outside the clone keyed
# by everything that shapes the binaries. A warm cache answers in about a second.
#
# Prints progress on stderr and, on stdout, shell assignments for the callers to eval:
#   TF_BIN=...             the terraform binary
#   TF_PROVIDER_MIRROR=... a filesystem mirror holding the two builds
#   TF_CLI_CONFIG_FILE=... a CLI config that installs providers only from that mirror
#   TF_PLUGIN_CACHE_DIR=... this build's own plugin cache (cdktf would otherwise use
#                          ~/.terraform.d/plugin-cache, shared by every build of the same version)
#   TF_AWS_SOURCE=... TF_AWS_VERSION=... TF_RANDOM_SOURCE=... TF_RANDOM_VERSION=...
#                          the source address and version each build is published under
#   TF_TOOLS_VERSIONS=...  one line naming what actually runs (for logs and docs)
#
# The stacks pin registry.terraform.io/hashicorp/aws 6.25.0 and hashicorp/random 3.7.2, what
# `cdktf deploy` installs for users; the Go module proxy serves neither (only these main-branch
# revisions). So the builds are published under a source address of the harness's own, with the
# version their source really is (the CHANGELOG's head, as a pre-release stamped with the commit
# time), and the emulated runs point the stacks at them with an override file. A build can then
# never satisfy a real hashicorp/aws requirement, on a developer's machine or anywhere else, and
# no log calls it 6.25.0. docs/testing.md: "The provider under test".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

AWS_MODULE=github.com/hashicorp/terraform-provider-aws
AWS_REVISION=v1.60.1-0.20260602190131-5f2286d6d836 # main, June 2026; its CHANGELOG says 6.48.0
RANDOM_MODULE=github.com/hashicorp/terraform-provider-random
RANDOM_REVISION=v1.3.2-0.20260824155315-e1092b0cfc07 # main, August 2026; 3.9.x
# Versions as the CHANGELOG of each revision says (checked at build time): aws's head is 6.48.0
# (Unreleased); random's is 3.9.0, released before this commit, so the next patch, as Go's own
# pseudo-versions count.
AWS_VERSION=6.48.0-dev.20260602190131
RANDOM_VERSION=3.9.1-dev.20260824155315
# Reserved top-level domain (RFC 2606): no registry can ever serve this address.
HARNESS_SOURCE_HOST=harness.hello-you.invalid
TERRAFORM_FALLBACK=v1.8.5 # the newest Terraform that builds from the proxy
SERVICES_FILE="$here/terraform/aws-services.json"

cache=${HELLO_YOU_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hello-you-infra}
log() { printf '[terraform-tools] %s\n' "$*" >&2; }
fail() {
  log "ERROR: $*"
  exit 1
}
need() { command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed: $2"; }

need go "install Go 1.26 or newer (the AWS provider's go.mod asks for it)"
need node "install Node.js 20 or newer"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local

# What the bindings pin, read from the generated packages so the two never drift apart.
pinned() { node -e 'const p=require(process.argv[1]);process.stdout.write(p.cdktf.provider.version)' "$root/node_modules/$1/package.json"; }
[ -d "$root/node_modules/@cdktf/provider-aws" ] || fail "run npm ci first (the pinned provider versions are read from node_modules)"
aws_pin=$(pinned @cdktf/provider-aws)
random_pin=$(pinned @cdktf/provider-random)

services=$(node -e '
  const s = require(process.argv[1]);
  console.log([...new Set([...Object.keys(s.services), ...Object.keys(s.alsoBuilt)])].sort().join(" "));
' "$SERVICES_FILE")
go_version=$(go env GOVERSION)
RECIPE=4 # bump when the way we build changes, so caches built the old way are not reused
key=$(printf '%s\n' "$RECIPE" "$AWS_REVISION" "$RANDOM_REVISION" "$services" "$go_version" "$AWS_VERSION" "$RANDOM_VERSION" "$HARNESS_SOURCE_HOST" | sha256sum | cut -c1-16)
dir="$cache/providers-$key"
mirror="$dir/mirror"
aws_source="$HARNESS_SOURCE_HOST/hashicorp/aws"
random_source="$HARNESS_SOURCE_HOST/hashicorp/random"
aws_bin="$mirror/$aws_source/$AWS_VERSION/linux_amd64/terraform-provider-aws_v$AWS_VERSION"
random_bin="$mirror/$random_source/$RANDOM_VERSION/linux_amd64/terraform-provider-random_v$RANDOM_VERSION"

module_dir() {
  go mod download -json "$1@$2" | node -e '
    let s = ""; process.stdin.on("data", d => (s += d)).on("end", () => {
      const j = JSON.parse(s); if (j.Error) { console.error(j.Error); process.exit(1); } console.log(j.Dir);
    });'
}

# Registers only our service packages, and proves that each type we claim is served by the package
# we name (a wrong map would otherwise surface as "unsupported resource type" much later).
prune_aws() {
  local src=$1 gen=$1/internal/provider/sdkv2/service_packages_gen.go
  node - "$SERVICES_FILE" "$src" "$gen" <<'NODE'
const fs = require("fs");
const [file, src, gen] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(file, "utf8"));
const problems = [];
for (const [service, types] of Object.entries(spec.services)) {
  const genFile = `${src}/internal/service/${service}/service_package_gen.go`;
  if (!fs.existsSync(genFile)) { problems.push(`no service package "${service}" in the provider`); continue; }
  const text = fs.readFileSync(genFile, "utf8");
  for (const type of types) {
    const name = type.replace(/^data\./, "");
    if (!new RegExp(`TypeName:\\s+"${name}"`).test(text))
      problems.push(`${type} is not served by service package "${service}"`);
  }
}
if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
const keep = new Set([...Object.keys(spec.services), ...Object.keys(spec.alsoBuilt)]);
const body = [...keep].sort().map((s) => `\t\t${s}.ServicePackage(ctx),`).join("\n");
const imports = [...keep].sort()
  .map((s) => `\t"github.com/hashicorp/terraform-provider-aws/internal/service/${s}"`).join("\n");
fs.writeFileSync(gen, `// Pruned by harness/terraform-tools.sh: only the service packages our stacks use.

package sdkv2

import (
\t"context"
\t"slices"

\t"github.com/hashicorp/terraform-provider-aws/internal/conns"
${imports}
)

func servicePackages(ctx context.Context) []conns.ServicePackage {
\tv := []conns.ServicePackage{
${body}
\t}

\treturn slices.Clone(v)
}
`);
NODE
}

# RDS waiters sleep a fixed minute before their first poll and then want three good polls ten
# seconds apart: about 80 s per DB instance, mostly sleep, even against an emulator that answers
# at once. The emulated runs set HELLO_YOU_EMULATED_PACE (a factor below 1) to shorten those
# sleeps; without it the binary waits exactly as the released provider does. The calls made and
# their order do not change.
pace_rds_waits() {
  local dir=$1/internal/service/rds
  sed -i -E 's/^(\t+(Delay|PollInterval|MinTimeout): +)([0-9]+ \* time\.(Minute|Second)),$/\1emulatedPace(\3),/' "$dir/instance.go"
  grep -q 'emulatedPace(' "$dir/instance.go" || fail "aws: found no RDS waits to pace in $dir/instance.go"
  cat >"$dir/emulated_pace.go" <<'GO'
// Added by harness/terraform-tools.sh of hello-you-infra: shortens RDS waiter sleeps only when
// HELLO_YOU_EMULATED_PACE is set (emulated runs); otherwise the released behaviour.

package rds

import (
	"os"
	"strconv"
	"time"
)

func emulatedPace(d time.Duration) time.Duration {
	if f, err := strconv.ParseFloat(os.Getenv("HELLO_YOU_EMULATED_PACE"), 64); err == nil && f > 0 && f < 1 {
		return time.Duration(float64(d) * f)
	}
	return d
}
GO
}

# The provider's client registry (internal/conns/awsclient_gen.go) imports every AWS SDK client,
# about 430 of them, and they are most of a cold build. Keep only the clients that the packages we
# compile ask for; the compiler proves the list right, since a missing one fails the build.
prune_clients() {
  local src=$1 deps
  deps=$(mktemp)
  (cd "$src" && go list -deps -f '{{.ImportPath}} {{.Dir}} {{join .GoFiles " "}}' .) >"$deps"
  node - "$src/internal/conns/awsclient_gen.go" "$deps" <<'NODE'
const fs = require("fs");
const path = require("path");
const [gen, deps] = process.argv.slice(2);
const used = new Set();
{
  for (const line of fs.readFileSync(deps, "utf8").trim().split("\n")) {
    const [importPath, dir, ...files] = line.split(" ");
    if (!importPath.startsWith("github.com/hashicorp/terraform-provider-aws/")) continue;
    if (importPath.endsWith("/internal/conns")) continue;
    for (const f of files) {
      for (const m of fs.readFileSync(path.join(dir, f), "utf8").matchAll(/\.(\w+Client)\(/g)) used.add(m[1]);
    }
  }
  const method = /func \(c \*AWSClient\) (\w+)\(ctx context\.Context\) \*(\w+)\.Client \{\n.*?\n\}\n\n?/gs;
  const text = fs.readFileSync(gen, "utf8");
  const kept = new Set();
  let total = 0;
  let out = text.replace(method, (all, name, pkg) => {
    total += 1;
    if (!used.has(name)) return "";
    kept.add(pkg);
    return all;
  });
  out = out.replace(/\t"([^"]+)"\n/g, (all, p) =>
    p.includes("aws-sdk-go-v2/service/") && !kept.has(p.split("/").pop()) ? "" : all,
  );
  fs.writeFileSync(gen, out);
  console.error(`[terraform-tools] aws: ${kept.size} of ${total} SDK clients kept`);
}
NODE
  rm -f "$deps"
}

# The version a build is published under must be what its source says it is.
check_version() { # name source-dir version
  local head
  head=$(sed -n 's/^## \([0-9][0-9.]*\).*/\1/p' "$2/CHANGELOG.md" | head -1)
  case "$1:$3" in
  aws:"$head"-dev.*) ;;
  random:*) [ "$(node -e 'const [a,b,c]=process.argv[1].split(".").map(Number);console.log(`${a}.${b}.${c+1}`)' "$head")" = "${3%%-*}" ] ||
    fail "$1: CHANGELOG says $head; $3 should be the next patch of it" ;;
  *) fail "$1: CHANGELOG says $head, but the build would be published as $3" ;;
  esac
}

build_provider() { # name module revision output version ["prune-function ..."]
  local name=$1 module=$2 revision=$3 out=$4 version=$5 prune=${6:-}
  local start=$SECONDS src work
  log "$name: fetching $module@$revision from the Go module proxy"
  src=$(module_dir "$module" "$revision") || fail "$name: the Go module proxy did not serve $module@$revision"
  check_version "$name" "$src" "$version"
  work=$(mktemp -d "$cache/build-$name.XXXXXX")
  cp -r "$src/." "$work/"
  chmod -R u+w "$work"
  if [ -n "$prune" ]; then
    for step in $prune; do "$step" "$work"; done
  fi
  log "$name: building (cold: minutes on 2 cores; a warm Go build cache makes it seconds)"
  mkdir -p "$(dirname "$out")"
  (cd "$work" && go build -trimpath -ldflags="-s -w" -o "$out.tmp" .) || fail "$name: go build failed"
  mv "$out.tmp" "$out"
  rm -rf "$work"
  log "$name: built in $((SECONDS - start)) s -> $out"
}

mkdir -p "$cache"
# One build at a time: two CI steps or two shells must not race on the same cache folder.
exec 9>"$cache/.lock"
flock 9

total_start=$SECONDS
if [ -x "$aws_bin" ] && [ -x "$random_bin" ]; then
  log "providers: cached in $dir"
else
  [ -x "$random_bin" ] || build_provider random "$RANDOM_MODULE" "$RANDOM_REVISION" "$random_bin" "$RANDOM_VERSION"
  [ -x "$aws_bin" ] || build_provider aws "$AWS_MODULE" "$AWS_REVISION" "$aws_bin" "$AWS_VERSION" "prune_aws prune_clients pace_rds_waits"
  # Other keys go only once unused for a week (each run rewrites its terraform.rc): several
  # branches share this cache on one machine, and removing a key another branch is using breaks
  # its runs midway.
  find "$cache" -maxdepth 2 -path "$cache/providers-*/terraform.rc" -mtime +7 -printf '%h\n' | { grep -v "providers-$key\$" || true; } | xargs -r rm -rf
fi

# Terraform: the machine's own when it answers, else 1.8.5 built from the proxy.
tf=""
for candidate in "${TERRAFORM:-}" "$(command -v terraform || true)" "$cache/terraform-$TERRAFORM_FALLBACK/terraform"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && TF_CLI_CONFIG_FILE=/dev/null "$candidate" version >/dev/null 2>&1; then
    tf=$candidate
    break
  fi
done
if [ -z "$tf" ]; then
  log "terraform: none found; building $TERRAFORM_FALLBACK from the Go module proxy"
  GOBIN="$cache/terraform-$TERRAFORM_FALLBACK" go install "github.com/hashicorp/terraform@$TERRAFORM_FALLBACK" ||
    fail "terraform: go install github.com/hashicorp/terraform@$TERRAFORM_FALLBACK failed"
  tf="$cache/terraform-$TERRAFORM_FALLBACK/terraform"
fi
tf_version=$(TF_CLI_CONFIG_FILE=/dev/null "$tf" version -json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).terraform_version))')

cli_config="$dir/terraform.rc"
cat >"$cli_config" <<EOF
# Written by harness/terraform-tools.sh: providers come only from the local builds, published
# under the harness's own source address; nothing is installed from a registry.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["$aws_source", "$random_source"]
  }
}
plugin_cache_dir = "$dir/plugin-cache"
# The cache is filled below, before any run: Terraform's own filling is not safe for inits running
# side by side (two of them creating one folder fail with "file exists"). Its entries are our own
# builds, so taking them without a lock-file checksum breaks nothing.
plugin_cache_may_break_dependency_lock_file = true
disable_checkpoint = true
EOF
# The plugin cache has the mirror's layout: link each build into it once.
for bin in "$aws_bin" "$random_bin"; do
  cached="$dir/plugin-cache/${bin#"$mirror/"}"
  [ -x "$cached" ] || { mkdir -p "$(dirname "$cached")" && ln -f "$bin" "$cached"; }
done

log "ready in $((SECONDS - total_start)) s: terraform $tf_version; $aws_source $AWS_VERSION, $random_source $RANDOM_VERSION"
printf 'TF_BIN=%q\nTF_PROVIDER_MIRROR=%q\nTF_CLI_CONFIG_FILE=%q\nTF_PLUGIN_CACHE_DIR=%q\nTF_AWS_SOURCE=%q\nTF_AWS_VERSION=%q\nTF_RANDOM_SOURCE=%q\nTF_RANDOM_VERSION=%q\nTF_TOOLS_VERSIONS=%q\n' \
  "$tf" "$mirror" "$cli_config" "$dir/plugin-cache" "$aws_source" "$AWS_VERSION" "$random_source" "$RANDOM_VERSION" \
  "terraform $tf_version; aws provider main@$AWS_REVISION as $aws_source $AWS_VERSION and random main@$RANDOM_REVISION as $random_source $RANDOM_VERSION (users get registry.terraform.io/hashicorp/aws $aws_pin and hashicorp/random $random_pin: not these builds)"
