import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';

// kafkajs's own modules, compiled afresh from node_modules, each a module instance of its own whose require()
// calls a differential test can answer (the harness's drop-ins are compared with these).

const require = createRequire(import.meta.url);

interface CompilableModule {
  filename: string;
  paths: string[];
  exports: unknown;
  require(id: string): unknown;
  _compile(source: string, filename: string): void;
}

/**
 * Compile a kafkajs module (`kafkajs/src/...`) from its file. `overrides` answers its own require() calls by
 * the path as written in the module (e.g. `'../../../recordBatch/record/v0'`); everything else is required as usual.
 */
export function originalKafkajsModule<T>(id: string, overrides: Readonly<Record<string, unknown>> = {}): T {
  const filename = require.resolve(id);
  const ModuleClass = Module as unknown as {
    new (id: string): CompilableModule;
    _nodeModulePaths(dir: string): string[];
  };
  const module = new ModuleClass(filename);
  module.filename = filename;
  module.paths = ModuleClass._nodeModulePaths(path.dirname(filename));
  const local = createRequire(filename);
  module.require = (request: string) => (request in overrides ? overrides[request] : local(request));
  module._compile(readFileSync(filename, 'utf8'), filename);
  return module.exports as T;
}
