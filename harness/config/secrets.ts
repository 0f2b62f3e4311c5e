// Secrets this process knows (SASL passwords, store passwords): remembered where they are made or
// read, and replaced by `***` in whatever the harness writes for people (error reports, kafkajs log
// lines, a child's output tail), because a library error can echo its configuration.

const secrets = new Set<string>();

/** Secrets shorter than this are not redacted: replacing "a" everywhere would garble every message. */
const MIN_LENGTH = 4;

export const REDACTED = '***';

export function rememberSecret(secret: string | undefined): void {
  if (secret !== undefined && secret.length >= MIN_LENGTH) secrets.add(secret);
}

/** The text with every remembered secret replaced by `***`. */
export function redactSecrets(text: string): string {
  if (secrets.size === 0) return text;
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** For tests: forget every secret. */
export function forgetSecrets(): void {
  secrets.clear();
}
