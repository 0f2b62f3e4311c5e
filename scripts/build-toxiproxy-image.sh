#!/usr/bin/env bash
# Builds gamelan/toxiproxy:<version> without any image registry: a tar holding only the static
# toxiproxy-server that scripts/install-toxiproxy.sh builds (CGO_ENABLED=0, no libc needed), turned
# into an image by `docker import` with its entrypoint set. The harness runs it (with host networking,
# API and proxies on 127.0.0.1) as the Testcontainers fault proxy when Docker answers and no
# toxiproxy-server is on PATH or in the cache. Idempotent; never fails the caller (prints why, exits 0).
#   scripts/build-toxiproxy-image.sh [--force]
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
say() { printf '[build-toxiproxy-image] %s\n' "$*"; }
cache=${GAMELAN_HARNESS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gamelan-kafka-harness}
bin="$cache/toxiproxy/toxiproxy-server"
force=${1:-}
timeout 5 docker info >/dev/null 2>&1 || { say "no Docker engine answers: image not built"; exit 0; }

"$here/scripts/install-toxiproxy.sh" || true
[ -x "$bin" ] || { say "no toxiproxy-server at $bin: image not built"; exit 0; }
version=$(sed -n 's/^v\([0-9.]*\) .*/\1/p' "$cache/toxiproxy/VERSION")
[ -n "$version" ] || { say "cannot read the version from $cache/toxiproxy/VERSION: image not built"; exit 0; }
tag="gamelan/toxiproxy:${version}"
if [ "$force" != --force ] && docker image inspect "$tag" >/dev/null 2>&1; then
  say "$tag already present"; exit 0
fi
# A binary needing libc would not start alone in the image.
if ldd "$bin" >/dev/null 2>&1; then
  say "$bin is dynamically linked (an older install): rerun scripts/install-toxiproxy.sh after removing $cache/toxiproxy/VERSION"; exit 0
fi
start=$(date +%s)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cp "$bin" "$root/toxiproxy-server"
tar -C "$root" -cf "$root.tar" toxiproxy-server
trap 'rm -rf "$root" "$root.tar"' EXIT
if ! docker import \
  --change 'ENTRYPOINT ["/toxiproxy-server"]' \
  --change 'CMD ["-host", "127.0.0.1", "-port", "8474"]' \
  --change 'ENV LOG_LEVEL=warn' \
  --change "LABEL org.opencontainers.image.title=toxiproxy org.opencontainers.image.version=${version} gamelan.harness.image=toxiproxy" \
  "$root.tar" "$tag" >/dev/null; then
  say "docker import failed: image not built"; exit 0
fi
say "image $tag ready in $(( $(date +%s) - start )) s"
