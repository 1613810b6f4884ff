#!/usr/bin/env bash
# Checkov gate: synthesizes every environment and scans each stack with checkov's terraform_json
# framework. Fails on any failed check in any environment. Skips live in .checkov.yaml (all
# environments), .checkov.dev.yaml (dev only, where dev's config turns a protection off) and
# .checkov.stack-<stack>.yaml (one stack only, such as the pilot light's savings in failover);
# docs/security.md explains each one.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKOV_VERSION=3.3.30
# Outside the clone, keyed by version, shared with the other tools: a fresh clone (CI) reuses it.
venv="${HELLO_YOU_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hello-you-infra}/checkov-$CHECKOV_VERSION"
if ! "$venv/bin/checkov" --version 2>/dev/null | grep -qx "$CHECKOV_VERSION"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
fi

skips() { grep -oE '^\s*-\s*CKV[0-9A-Z_]+' "$1" | tr -d ' -' | paste -sd, -; }
base=$(skips .checkov.yaml)
out=$(mktemp -d)
status=0
for env in $(node --import tsx -e 'console.log(Object.keys(require("./config").ENVIRONMENTS).join(" "))'); do
  # An environment that names no image (prod) gets the release under test, as CI's synth does.
  read -r -a release <<<"$(node --import tsx harness/release-env.ts "$env")"
  env "${release[@]}" DEPLOY_ENV="$env" CDKTF_OUTDIR="$out/$env" node --import tsx main.ts >/dev/null
  skip=$base
  if [ -f ".checkov.$env.yaml" ]; then skip="$skip,$(skips ".checkov.$env.yaml")"; fi
  for stack in "$out/$env"/stacks/*/; do
    name=$(basename "$stack")
    report="$out/$env-$name.json"
    stack_skip=$skip
    if [ -f ".checkov.stack-$name.yaml" ]; then stack_skip="$stack_skip,$(skips ".checkov.stack-$name.yaml")"; fi
    "$venv/bin/checkov" -d "$stack" --framework terraform_json --skip-check "$stack_skip" \
      --compact --quiet --output json >"$report" 2>"$out/$env-$name.err" || true
    summary=$(python3 - "$report" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
data = data[0] if isinstance(data, list) else data
s = data.get("summary", {})
print(f'{s.get("passed", 0)} {s.get("failed", 0)} {s.get("parsing_errors", 0)}')
for f in data.get("results", {}).get("failed_checks", []):
    print(f'    {f["check_id"]} {f["resource"]}: {f["check_name"]}')
PY
    ) || { echo "checkov $env/$name: no report ($(head -c 300 "$out/$env-$name.err"))"; status=1; continue; }
    read -r passed failed parse_errors <<<"$(head -1 <<<"$summary")"
    echo "checkov $env/$name: $passed passed, $failed failed, $parse_errors parsing errors"
    if [ "$failed" != 0 ] || [ "$parse_errors" != 0 ] || [ "$passed" = 0 ]; then
      tail -n +2 <<<"$summary"
      status=1
    fi
  done
done
exit $status
