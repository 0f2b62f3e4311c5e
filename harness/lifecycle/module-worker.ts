import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

// A worker thread running one of the harness's modules, from the built package (.js) or from source (.ts under
// tsx or vitest). A worker cannot take `--import tsx` in its execArgv on Node 20, so from source it loads the
// module through tsx's own API.

/** Start `entry` (a module URL next to the caller, `.ts` or `.js`) on a worker thread. */
export function moduleWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(fileURLToPath(entry), options);
  // tsx's ES module API (its CommonJS one cannot load from an eval worker); a bare name resolves from the working directory.
  const tsxApi = typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api';
  const code = `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
  return new Worker(code, { ...options, eval: true });
}

/** The sibling module `name` (without extension) of `from` (an import.meta.url), in the caller's own flavour (.ts or .js). */
export function siblingModule(name: string, from: string): URL {
  return new URL(`./${name}${from.endsWith('.ts') ? '.ts' : '.js'}`, from);
}
