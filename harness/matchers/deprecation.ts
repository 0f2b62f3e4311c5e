// The matchers' old positional forms still work; each says once per process which options object
// replaces it (see CHANGELOG.md). A console warning, not an exception: a test suite keeps passing.

const warned = new Set<string>();

/** Warn once per `form` that it is deprecated and what to write instead. */
export function warnDeprecated(form: string, instead: string): void {
  if (warned.has(form)) return;
  warned.add(form);
  console.warn(`[gamelan-kafka-harness] deprecated: ${form}; write ${instead} (the positional form will be removed in 1.0).`);
}
