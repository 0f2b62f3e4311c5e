#!/usr/bin/env bash
# CI/dev setup for the container path: a Docker engine, the compose CLI and the Kafka image.
# Idempotent (what is there is kept), time-bounded, and never fails the caller: when this
# environment cannot run Docker it prints why and exits 0; the container tests then skip with a
# printed reason. Each step prints how long it took.
#   env: GAMELAN_CONTAINER_SETUP=0 skips everything; GAMELAN_CONTAINER_SETUP_TIMEOUT (s, default 900)
set -uo pipefail
cd "$(dirname "$0")/.."
[ "${GAMELAN_CONTAINER_SETUP:-1}" = 0 ] && { echo "container setup skipped (GAMELAN_CONTAINER_SETUP=0)"; exit 0; }
budget=${GAMELAN_CONTAINER_SETUP_TIMEOUT:-900}
cache=${GAMELAN_KAFKA_CACHE:-$HOME/.cache/gamelan-kafka-harness}
log_dir="$cache/logs"; mkdir -p "$log_dir"
start=$(date +%s)
say() { printf '[container-setup] %s\n' "$*"; }
left() { echo $(( budget - ($(date +%s) - start) )); }
give_up() { say "$* — container tests will skip"; exit 0; }
engine_up() { timeout 5 docker info >/dev/null 2>&1; }

# 1. Engine and CLIs.
if ! engine_up; then
  missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || give_up "no Docker engine and no root apt-get to install ${missing[*]}"
    t=$(date +%s)
    timeout "$(left)" apt-get update -qq >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive timeout "$(left)" apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log_dir/container-setup-apt.log" 2>&1 \
      || give_up "apt-get install ${missing[*]} failed (see $log_dir/container-setup-apt.log)"
    say "installed ${missing[*]} in $(( $(date +%s) - t )) s"
  fi
  if ! engine_up; then
    command -v dockerd >/dev/null 2>&1 || give_up "dockerd not installed"
    t=$(date +%s)
    # vfs: works on any filesystem (no overlay in nested containers); no iptables: none to manage here.
    setsid nohup dockerd --storage-driver=vfs --iptables=false >"$log_dir/dockerd.log" 2>&1 < /dev/null &
    for _ in $(seq 1 60); do engine_up && break; sleep 1; done
    engine_up || give_up "dockerd did not answer within 60 s (log: $log_dir/dockerd.log: $(tail -n 2 "$log_dir/dockerd.log" | tr '\n' ' '))"
    say "dockerd started in $(( $(date +%s) - t )) s (log: $log_dir/dockerd.log)"
  fi
fi
say "engine: Docker $(docker info --format '{{.ServerVersion}}' 2>/dev/null), storage $(docker info --format '{{.Driver}}' 2>/dev/null)"
if ! command -v docker-compose >/dev/null 2>&1 && ! docker compose version >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive timeout "$(left)" apt-get install -y -qq --no-install-recommends docker-compose >/dev/null 2>&1 || say "no compose CLI: compose tests will skip"
fi

# 2. The Kafka image: present → keep; cached tarball → load; else build (apache/kafka:4.1.1 is used when present).
if docker image inspect apache/kafka:4.1.1 >/dev/null 2>&1; then
  say "image apache/kafka:4.1.1 present"
fi
if ! docker image inspect gamelan/kafka-kraft:4.1.1 >/dev/null 2>&1; then
  t=$(date +%s)
  timeout "$(left)" scripts/build-kafka-image.sh || give_up "image build failed or ran out of time"
  say "image gamelan/kafka-kraft:4.1.1 ready in $(( $(date +%s) - t )) s"
else
  say "image gamelan/kafka-kraft:4.1.1 present"
fi
# 3. The Toxiproxy image (network faults through Testcontainers when no toxiproxy-server is found on the host).
timeout "$(left)" scripts/build-toxiproxy-image.sh || say "toxiproxy image not built: network faults use another proxy"
say "done in $(( $(date +%s) - start )) s"
