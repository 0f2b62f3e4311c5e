// Makes the harness's own copy of kafkajs: harness/clients/vendor/kafkajs.cjs, one CommonJS file bundled by
// esbuild from the exact kafkajs version package.json pins. The harness loads only this copy, so the fixes and
// faster encoders it puts into kafkajs (clients/kafkajs.ts) never reach a user's own kafkajs in the same process.
//
// The copy is kafkajs as shipped, with two additions for clients/kafkajs.ts:
// - three modules it may replace at run time (the record encoder, produce request v3 and the grouping of a send
//   by partition) are reached through a small switch module: `hooks.<name>` when set, kafkajs's own otherwise;
// - the entry exports the internal modules the harness patches or builds on (`internals`), kafkajs's own versions
//   of the three switchable modules (`originals`) and the switch board (`hooks`).
//
// Run by `npm ci`/`npm install` (the "prepare" script) and by every build; idempotent (writes only when the
// content changes). `node scripts/bundle-kafkajs.mjs --check` exits 1 when the file is missing or stale.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const KAFKAJS_COPY = path.join(root, 'harness/clients/vendor/kafkajs.cjs');
const require = createRequire(path.join(root, 'package.json'));

/** The switchable modules: hook name → path inside the kafkajs package. */
const SWITCHED = {
  record: 'src/protocol/recordBatch/record/v0/index.js',
  produceRequestV3: 'src/protocol/requests/produce/v3/request.js',
  groupMessagesPerPartition: 'src/producer/groupMessagesPerPartition.js',
};

const ENTRY = `
const hooks = require('gamelan:hooks');
module.exports = {
  kafkajs: require('kafkajs'),
  hooks,
  originals: {
${Object.keys(SWITCHED)
  .map((name) => `    ${name}: require('gamelan-original:${name}'),`)
  .join('\n')}
  },
  internals: {
    Runner: require('kafkajs/src/consumer/runner.js'),
    ConsumerGroup: require('kafkajs/src/consumer/consumerGroup.js'),
    RequestQueue: require('kafkajs/src/network/requestQueue/index.js'),
    Connection: require('kafkajs/src/network/connection.js'),
    errorCodes: require('kafkajs/src/protocol/error.js').errorCodes,
    Encoder: require('kafkajs/src/protocol/encoder.js'),
    Decoder: require('kafkajs/src/protocol/decoder.js'),
    Long: require('kafkajs/src/utils/long.js'),
    apiKeys: require('kafkajs/src/protocol/requests/apiKeys.js'),
    compression: require('kafkajs/src/protocol/message/compression/index.js'),
    Record: require('kafkajs/src/protocol/recordBatch/record/v0/index.js'),
    RecordBatch: require('kafkajs/src/protocol/recordBatch/v0/index.js').RecordBatch,
  },
};
`;

export async function bundleKafkajs() {
  const esbuild = await import('esbuild');
  const kafkajsDir = path.dirname(require.resolve('kafkajs/package.json'));
  const { version, license } = JSON.parse(readFileSync(path.join(kafkajsDir, 'package.json'), 'utf8'));
  const switched = new Map(Object.entries(SWITCHED).map(([name, file]) => [path.join(kafkajsDir, file), name]));
  const result = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: root, sourcefile: 'kafkajs-copy-entry.cjs', loader: 'js' },
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    legalComments: 'inline',
    plugins: [
      {
        name: 'kafkajs-switches',
        setup(build) {
          build.onResolve({ filter: /^gamelan:hooks$/ }, () => ({ path: 'hooks', namespace: 'gamelan' }));
          build.onResolve({ filter: /^gamelan-original:/ }, (args) => ({
            path: path.join(kafkajsDir, SWITCHED[args.path.slice('gamelan-original:'.length)]),
          }));
          // Every other require of a switchable module gets its switch.
          build.onResolve({ filter: /./ }, async (args) => {
            if (args.namespace === 'gamelan' || args.pluginData === 'resolving') return undefined;
            if (args.path.startsWith('gamelan')) return undefined;
            const resolved = await build.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              pluginData: 'resolving',
            });
            const name = switched.get(resolved.path);
            return name === undefined ? resolved : { path: name, namespace: 'gamelan' };
          });
          build.onLoad({ filter: /./, namespace: 'gamelan' }, (args) => {
            if (args.path === 'hooks') return { contents: 'module.exports = {};', loader: 'js' };
            return {
              loader: 'js',
              resolveDir: root,
              contents: `const original = require('gamelan-original:${args.path}');
const hooks = require('gamelan:hooks');
module.exports = function ${args.path}Switch(...args) { return (hooks.${args.path} || original).apply(this, args); };`,
            };
          });
        },
      },
    ],
  });
  const header = `// kafkajs ${version} (${license} licence, copyright Túlio Ornelas and the kafkajs contributors), bundled by\n// scripts/bundle-kafkajs.mjs for the harness's own use. Generated: do not edit.\n`;
  return header + result.outputFiles[0].text;
}

async function main() {
  const code = await bundleKafkajs();
  const current = existsSync(KAFKAJS_COPY) ? readFileSync(KAFKAJS_COPY, 'utf8') : undefined;
  if (process.argv.includes('--check')) {
    if (current !== code) {
      process.stderr.write(
        `${path.relative(root, KAFKAJS_COPY)} is ${current === undefined ? 'missing' : 'stale'}: run node scripts/bundle-kafkajs.mjs\n`,
      );
      process.exit(1);
    }
    return;
  }
  if (current === code) return;
  mkdirSync(path.dirname(KAFKAJS_COPY), { recursive: true });
  writeFileSync(KAFKAJS_COPY, code);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
