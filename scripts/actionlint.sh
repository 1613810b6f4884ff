#!/usr/bin/env bash
# Lints the GitHub Actions workflows: this repository's (.github/workflows/) and the sample the
# app repository copies (docs/delivery/app-deploy-workflow.yml). actionlint comes from the Go
# module proxy, built once per version into a cache outside the clone and reused from there;
# a failed build stops with an error instead of skipping the check.
set -euo pipefail
cd "$(dirname "$0")/.."
ACTIONLINT_VERSION=v1.7.12
cache="${XDG_CACHE_HOME:-$HOME/.cache}/hello-you-infra/actionlint-$ACTIONLINT_VERSION"
bin="$cache/actionlint"

if ! "$bin" -version 2>/dev/null | grep -qx "$ACTIONLINT_VERSION"; then
  if ! command -v go >/dev/null; then
    echo "actionlint: Go is needed to build actionlint $ACTIONLINT_VERSION (go install); install Go 1.24 or newer" >&2
    exit 1
  fi
  echo "actionlint: building $ACTIONLINT_VERSION into $cache (once)"
  mkdir -p "$cache"
  if ! GOBIN="$cache" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"; then
    echo "actionlint: go install github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION failed; is the Go module proxy reachable?" >&2
    exit 1
  fi
fi

files=(.github/workflows/*.yml docs/delivery/*.yml)
# With shellcheck installed, actionlint checks every `run:` script too; say when it is not.
command -v shellcheck >/dev/null || echo "actionlint: shellcheck not installed, run: scripts not checked"
"$bin" -no-color "${files[@]}"
echo "actionlint $ACTIONLINT_VERSION: ${#files[@]} workflows clean"
