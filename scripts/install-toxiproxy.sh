#!/usr/bin/env bash
# Installs toxiproxy-server (the network-fault proxy the harness drives) into the per-user cache:
#   <cache>/toxiproxy/toxiproxy-server, with <cache>/toxiproxy/VERSION holding the pinned version.
# The harness finds it there (after TOXIPROXY_URL and a toxiproxy-server on PATH).
# Idempotent: an installed binary of the pinned version is kept. Built from source with Go through the
# Go module proxy (about 1–2 min). Never fails the caller: without Go it prints why and exits 0, and the
# network-fault tests skip with that reason.
#   env: GAMELAN_TOXIPROXY_SETUP=0 skips; GO (default: go on PATH, else /usr/local/go/bin/go);
#        GAMELAN_HARNESS_CACHE / XDG_CACHE_HOME as for the harness's cache.
set -uo pipefail
TOXIPROXY_VERSION=v2.12.0 # the one pin; harness/faults reads the installed VERSION file
say() { printf '[install-toxiproxy] %s\n' "$*"; }
[ "${GAMELAN_TOXIPROXY_SETUP:-1}" = 0 ] && { say "skipped (GAMELAN_TOXIPROXY_SETUP=0)"; exit 0; }

cache=${GAMELAN_HARNESS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gamelan-kafka-harness}
dir="$cache/toxiproxy"
bin="$dir/toxiproxy-server"
# VERSION also records how it was built, so a changed build line reinstalls. Static (CGO_ENABLED=0): the
# same binary runs on the host and alone in the image scripts/build-toxiproxy-image.sh makes (no libc there).
stamp="$TOXIPROXY_VERSION ldflags-version static"
if [ -x "$bin" ] && [ "$(cat "$dir/VERSION" 2>/dev/null)" = "$stamp" ]; then
  say "toxiproxy-server $TOXIPROXY_VERSION already installed at $bin"
  exit 0
fi

go_bin=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
[ -x "$go_bin" ] || { say "no Go toolchain (looked for go on PATH and /usr/local/go/bin/go): not installed, network-fault tests will skip"; exit 0; }

mkdir -p "$dir"
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
start=$(date +%s)
say "building github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION with $("$go_bin" version)"
if ! CGO_ENABLED=0 GOBIN="$build/bin" GOFLAGS=-buildvcs=false GOPATH="${GOPATH:-$build/gopath}" timeout 600 \
  "$go_bin" install -ldflags "-X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY_VERSION#v}" "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION" >"$build/go.log" 2>&1; then
  say "go install failed (last lines below): not installed, network-fault tests will skip"
  tail -n 20 "$build/go.log"
  exit 0
fi
mv -f "$build/bin/server" "$bin"
echo "$stamp" >"$dir/VERSION"
say "installed toxiproxy-server $TOXIPROXY_VERSION at $bin in $(( $(date +%s) - start )) s"
