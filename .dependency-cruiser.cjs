// The layers of docs/architecture.md ("The layers") as rules dependency-cruiser checks: a module imports only its own
// layer or a lower one, nothing imports in a circle, only harness/clients/ imports a Kafka client, and the bundled
// scenarios and examples import only the package's public entries. Type-only imports count (tsPreCompilationDeps):
// a type that points up is a layer in the wrong place. `npm run lint:layers` runs it;
// test/unit/architecture/layers.test.ts runs it through the API and lists each violation.
const ts = require('typescript');

/** From the bottom, as the table in docs/architecture.md: each layer's name and its paths (from the project root). */
const LAYERS = [
  {
    name: 'foundations',
    paths: [
      '^harness/(errors|colors|wait|vocabulary)\\.ts$',
      '^harness/lifecycle/',
      '^harness/kafka-distribution/',
      '^harness/config/',
    ],
  },
  { name: 'wire', paths: ['^harness/protocol/', '^harness/clients/', '^fixtures/'] },
  { name: 'Kafka', paths: ['^harness/brokers/', '^harness/topics/', '^harness/faults/'] },
  { name: 'actors', paths: ['^harness/engine/', '^harness/executors/', '^mocks/'] },
  {
    name: 'observation',
    paths: ['^harness/recorder/', '^harness/checker/', '^harness/matchers/', '^harness/conformance/'],
  },
  { name: 'ownership', paths: ['^harness/stack/', '^harness/workspace/'] },
  {
    name: 'plays',
    paths: ['^harness/scenario/', '^harness/contract/', '^harness/load/', '^harness/vitest/', '^harness/bench/'],
  },
  { name: 'output', paths: ['^harness/report/', '^harness/cli/'] },
  { name: 'public API', paths: ['^harness/index\\.ts$', '^harness/entries/'] },
];

/** A Kafka client: the libraries, the vendored kafkajs copy, and the kafkajs adapter's own modules. */
const KAFKA_CLIENTS = [
  '^(kafkajs|@platformatic/kafka)(/|$)',
  '^node_modules/(kafkajs|@platformatic/kafka)/',
  '^harness/clients/vendor/',
  '^harness/clients/kafkajs[^/]*\\.ts$',
];

/** Files allowed past the client seam, and why. Keep it short: each entry is a debt or a measurement of a library itself. */
const CLIENT_SEAM_EXCEPTIONS = {
  'harness/bench/throughput.bench.ts':
    'measures the kafkajs adapter itself (its copy and encoders against stock kafkajs)',
};

/** The package's entry points, from tsconfig.json "paths" (the one list: the package's names → their sources). */
const { config: tsconfig } = ts.readConfigFile(`${__dirname}/tsconfig.json`, ts.sys.readFile);
const PUBLIC_ENTRIES = Object.values(tsconfig.compilerOptions.paths).map(
  ([target]) => `^${escape(target.replace(/^\.\//, ''))}$`,
);

function escape(path) {
  return path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const layerRules = LAYERS.map((layer, index) => ({
  name: `layer-${layer.name.toLowerCase().replace(/\s+/g, '-')}`,
  comment: `${layer.name} imports only its own layer or a lower one (docs/architecture.md, "The layers")`,
  severity: 'error',
  from: { path: layer.paths },
  to: { path: LAYERS.slice(index + 1).flatMap((higher) => higher.paths) },
})).filter((rule) => rule.to.path.length > 0);

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'no module imports itself through others (type-only imports too)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'client-seam',
      comment:
        'only harness/clients/ imports a Kafka client library, the vendored kafkajs copy or a kafkajs adapter module (docs/architecture.md, "The client seam")',
      severity: 'error',
      from: {
        pathNot: ['^harness/clients/', ...Object.keys(CLIENT_SEAM_EXCEPTIONS).map((file) => `^${escape(file)}$`)],
      },
      to: { path: KAFKA_CLIENTS },
    },
    {
      name: 'public-entries-only',
      comment: 'the bundled scenarios and examples are the code users copy: they import the public entries only',
      severity: 'error',
      from: { path: ['^scenarios/', '^examples/'] },
      to: { path: ['^harness/', '^mocks/', '^fixtures/'], pathNot: PUBLIC_ENTRIES },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};

// For the architecture tests; not enumerable, since dependency-cruiser's configuration schema allows no other keys.
Object.defineProperty(module.exports, 'layers', { value: LAYERS });
Object.defineProperty(module.exports, 'clientSeamExceptions', { value: CLIENT_SEAM_EXCEPTIONS });
