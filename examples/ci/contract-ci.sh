#!/usr/bin/env bash
# The executor contract in CI, as a plain shell script: install the harness from a pinned source into the project
# in the working directory (package.json is left unchanged), then check the executor against a real Kafka.
# examples/ci/contract-github-actions.yml runs the same commands; test/unit/docs/ci-recipes.test.ts keeps the two in
# step and test/package/packed.test.ts runs this script against a packed tarball.
#
# Pin the harness one of two ways (the package is not on the npm registry: never install it by name):
#   GAMELAN_HARNESS_TARBALL=ci/gamelan-kafka-harness-0.1.0.tgz GAMELAN_HARNESS_SHA256=<sha256sum of that file>
#   GAMELAN_HARNESS_REPO=<git URL of the harness> GAMELAN_HARNESS_COMMIT=<full 40-hex commit id>   (built here)
# Name the executor:
#   EXECUTOR_CMD="java -jar target/my-executor.jar" EXECUTOR_TYPE=payment-processor
# Needs Node 20.19+, 22, 24 or 26, and a JDK 17+ for the broker (or GAMELAN_KAFKA_BOOTSTRAP_SERVERS for one you run).
set -euo pipefail

if [ -n "${GAMELAN_HARNESS_COMMIT:-}" ]; then
  [[ "$GAMELAN_HARNESS_COMMIT" =~ ^[0-9a-f]{40}$ ]] || { echo "GAMELAN_HARNESS_COMMIT=$GAMELAN_HARNESS_COMMIT: allowed: a full 40-hex commit id (a branch or tag can move)" >&2; exit 2; }
  rm -rf .gamelan-harness-src
  git clone --quiet "${GAMELAN_HARNESS_REPO:?GAMELAN_HARNESS_REPO: the git URL of the harness repository}" .gamelan-harness-src
  git -C .gamelan-harness-src checkout --quiet --detach "$GAMELAN_HARNESS_COMMIT"
  (cd .gamelan-harness-src && npm ci --no-audit --no-fund && npm pack)
  GAMELAN_HARNESS_TARBALL=$(ls .gamelan-harness-src/gamelan-kafka-harness-*.tgz)
else
  [[ "${GAMELAN_HARNESS_SHA256:-}" =~ ^[0-9a-f]{64}$ ]] || { echo "GAMELAN_HARNESS_SHA256=${GAMELAN_HARNESS_SHA256:-}: allowed: the 64-hex sha256 of the tarball (sha256sum gamelan-kafka-harness-*.tgz)" >&2; exit 2; }
  echo "$GAMELAN_HARNESS_SHA256  ${GAMELAN_HARNESS_TARBALL:?GAMELAN_HARNESS_TARBALL: the path of the packed harness, or set GAMELAN_HARNESS_COMMIT}" | sha256sum --check --quiet
fi
npm install --no-save --no-audit --no-fund "file:$GAMELAN_HARNESS_TARBALL"
npx --no-install gamelan-harness contract --executor-cmd "${EXECUTOR_CMD:?EXECUTOR_CMD: the command line that starts your executor}" --type "${EXECUTOR_TYPE:?EXECUTOR_TYPE: the executor type it serves}" --junit reports/contract.xml
