import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { stringify } from 'dot-properties';
import { type ClientSecurity, describeSecurity, securityClientProperties, usesTls } from '../config/security.js';
import { clientPropertiesPath, type UpState } from './state.js';

// `up` of a secure broker leaves a Kafka client.properties beside its state file, readable by its
// owner only (0600): the password lives there and nowhere else, and later commands (topics, tail,
// run, …) read it with the same parser as --command-config. It also works for Kafka's own tools
// (`kafka-topics.sh --command-config`). The CA is written beside it as PEM (ssl.ca.location), so
// reading it needs no JDK.

export interface WrittenClientProperties {
  readonly state: NonNullable<UpState['security']>;
  /** Remove the files (the broker is going). */
  remove(): void;
}

export async function writeClientProperties(
  stateFile: string,
  security: ClientSecurity,
): Promise<WrittenClientProperties | undefined> {
  if (security.mode === 'plaintext') return undefined;
  const paths = clientPropertiesPath(stateFile);
  const caFile = usesTls(security) && security.tls.caPem ? paths.ca : undefined;
  if (caFile) writeFileSync(caFile, usesTls(security) ? security.tls.caPem! : '', { mode: 0o644 });
  const header =
    'Written by gamelan-harness up for the broker it runs; removed when it stops. Holds a password: keep it private.';
  writeFileSync(
    paths.properties,
    `# ${header}\n${stringify(securityClientProperties(security, caFile), { lineWidth: null, keySep: '=' })}\n`,
    { mode: 0o600 },
  );
  chmodSync(paths.properties, 0o600); // an existing file keeps its mode on write
  return {
    state: { mode: security.mode, description: describeSecurity(security), commandConfig: paths.properties },
    remove: () => {
      rmSync(paths.properties, { force: true });
      if (caFile) rmSync(caFile, { force: true });
    },
  };
}
