import { appendFileSync } from 'node:fs';

// Module customization hooks (they run off the main thread): record, then resolve as usual.
const traceFile = process.env.GAMELAN_MODULE_TRACE;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (traceFile) appendFileSync(traceFile, `${resolved.url}\n`);
  return resolved;
}
