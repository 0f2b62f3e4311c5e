#!/usr/bin/env bash
# Builds gamelan/kafka-kraft:<version> without any image registry: debootstrap a minimal Debian
# bookworm root, add openjdk-17-jre-headless, the cached Kafka jars and apache/kafka-style scripts
# (/opt/kafka/bin/*.sh, /etc/kafka/docker/run), then `docker import`. The image is saved as a
# tarball under ~/.cache/gamelan-kafka-harness/images and loaded from there next time.
#   scripts/build-kafka-image.sh [--force]      env: KAFKA_VERSION (4.1.1), DEBIAN_MIRROR
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
version=${KAFKA_VERSION:-4.1.1}
tag="gamelan/kafka-kraft:${version}"
cache=${GAMELAN_KAFKA_CACHE:-$HOME/.cache/gamelan-kafka-harness}
images="$cache/images"
tarball="$images/gamelan-kafka-kraft-${version}.tar"
libs="$cache/kafka-${version}/libs"
force=${1:-}
step() { printf '== %s\n' "$*"; }
now() { date +%s; }

if [ "$force" != --force ] && docker image inspect "$tag" >/dev/null 2>&1; then
  step "$tag already present"; exit 0
fi
if [ "$force" != --force ] && [ -s "$tarball" ]; then
  t=$(now); docker load -i "$tarball" >/dev/null; step "loaded $tag from $tarball in $(( $(now) - t )) s"; exit 0
fi
if [ ! -d "$libs" ]; then
  t=$(now); step "fetching the Kafka ${version} jars (Maven) into $libs"
  (cd "$here" && npx tsx scripts/fetch-kafka-jars.ts "$version") || { echo "no Kafka jars at $libs and fetching them failed (needs mvn and npm ci)" >&2; exit 2; }
  step "jars: $(( $(now) - t )) s"
fi
command -v debootstrap >/dev/null || { echo "debootstrap missing: apt-get install debootstrap" >&2; exit 2; }
mirror=${DEBIAN_MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | grep -v '^[[:space:]]*#' | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ' || true)}
mirror=${mirror:-http://deb.debian.org/debian}

root=$(mktemp -d /tmp/gamelan-kafka-rootfs.XXXXXX)
cleanup() { umount "$root/proc" 2>/dev/null || true; rm -rf "$root"; }
trap cleanup EXIT

t=$(now); step "debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" >/tmp/gamelan-debootstrap.log 2>&1 || { tail -20 /tmp/gamelan-debootstrap.log; exit 1; }
step "debootstrap: $(( $(now) - t )) s"

t=$(now); step "openjdk-17-jre-headless"
mount -t proc proc "$root/proc"
mkdir -p "$root/usr/share/man/man1" # openjdk's postinst expects it on minbase
chroot "$root" /bin/sh -c 'apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null && apt-get clean && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/locale'
umount "$root/proc"
step "jre: $(( $(now) - t )) s"

t=$(now); step "Kafka ${version} jars and scripts"
install -d "$root/opt/kafka/libs" "$root/opt/kafka/bin" "$root/opt/kafka/config" "$root/etc/kafka/docker" "$root/var/lib/kafka/data"
cp "$libs"/*.jar "$root/opt/kafka/libs/"
install -m 0755 "$here/docker/kafka-kraft/kafka-run-class.sh" "$root/opt/kafka/bin/kafka-run-class.sh"
install -m 0755 "$here/docker/kafka-kraft/run" "$root/etc/kafka/docker/run"
install -m 0644 "$here/docker/kafka-kraft/log4j2.properties" "$root/opt/kafka/config/log4j2.properties"
for pair in kafka-server-start:kafka.Kafka kafka-storage:kafka.tools.StorageTool kafka-topics:org.apache.kafka.tools.TopicCommand \
            kafka-console-producer:org.apache.kafka.tools.ConsoleProducer kafka-console-consumer:org.apache.kafka.tools.consumer.ConsoleConsumer \
            kafka-broker-api-versions:org.apache.kafka.tools.BrokerApiVersionsCommand kafka-metadata-quorum:org.apache.kafka.tools.MetadataQuorumCommand; do
  printf '#!/bin/sh\nexec /opt/kafka/bin/kafka-run-class.sh %s "$@"\n' "${pair#*:}" > "$root/opt/kafka/bin/${pair%%:*}.sh"
  chmod 0755 "$root/opt/kafka/bin/${pair%%:*}.sh"
done
step "copy: $(( $(now) - t )) s"

t=$(now); step "docker import → $tag"
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/opt/kafka/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'WORKDIR /opt/kafka' \
  --change 'EXPOSE 9092' \
  --change 'CMD ["/etc/kafka/docker/run"]' \
  --change "LABEL org.opencontainers.image.title=gamelan-kafka-kraft org.apache.kafka.version=${version}" \
  - "$tag" >/dev/null
step "import: $(( $(now) - t )) s"

t=$(now); mkdir -p "$images"; docker save -o "$tarball.tmp" "$tag" && mv "$tarball.tmp" "$tarball"
step "saved $tarball ($(du -h "$tarball" | cut -f1)) in $(( $(now) - t )) s"
