import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Fake tools for hermetic selection tests: tiny shell scripts standing in for java, docker, mvn.

const made: string[] = [];

/** A temp dir removed by cleanupFakes() (call it in afterAll). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gamelan-unit-${prefix}-`));
  made.push(dir);
  return dir;
}

export function cleanupFakes(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A JAVA_HOME whose bin/java prints `banner` on stderr like `java -version`. */
export function fakeJavaHome(banner: string): string {
  const home = tempDir('jdk');
  mkdirSync(join(home, 'bin'));
  writeFileSync(join(home, 'bin', 'java'), `#!/bin/sh\necho '${banner}' >&2\n`);
  chmodSync(join(home, 'bin', 'java'), 0o755);
  return home;
}

/** A PATH dir with a `docker` whose `info` succeeds (an engine that answers) and which has `images` locally. */
export function answeringDocker(images: readonly string[] = []): string {
  const dir = tempDir('docker');
  const known = images.map((i) => `"${i}"`).join('|') || '"-none-"';
  writeFileSync(
    join(dir, 'docker'),
    `#!/bin/sh
case "$1" in
  info) echo 27.0.1 ;;
  image) for last; do :; done; case "$last" in ${known}) echo sha256:1 ;; *) echo "Error: No such image: $last" >&2; exit 1 ;; esac ;;
  *) exit 1 ;;
esac
`,
  );
  chmodSync(join(dir, 'docker'), 0o755);
  return dir;
}

/** A PATH dir with a fake `mvn` that logs its calls and copies one jar into -DoutputDirectory (or fails). */
export function fakeMaven(mode: 'ok' | 'fail'): { path: string; calls: string } {
  const dir = tempDir('mvn');
  const calls = join(dir, 'calls');
  const script =
    mode === 'ok'
      ? `#!/bin/sh\necho call >> ${calls}\nfor a in "$@"; do case "$a" in -DoutputDirectory=*) out="\${a#-DoutputDirectory=}";; esac; done\nmkdir -p "$out" && echo jar > "$out/kafka_2.13-x.jar"\n`
      : `#!/bin/sh\necho call >> ${calls}\necho "[ERROR] Could not resolve dependencies for org.apache.kafka:kafka_2.13:jar:9.9.9"\nexit 1\n`;
  writeFileSync(join(dir, 'mvn'), script);
  chmodSync(join(dir, 'mvn'), 0o755);
  return { path: dir, calls };
}
