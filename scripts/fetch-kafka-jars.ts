// Fetches (once) the Kafka jars the native provider and the image build use, into
// ~/.cache/gamelan-kafka-harness/kafka-<version>/libs. Usage: npx tsx scripts/fetch-kafka-jars.ts [version]
import { kafkaVersion, resolveKafkaJars } from '../harness/kafka-distribution/index.js';

const version = kafkaVersion(process.argv[2]);
const jars = await resolveKafkaJars({
  version,
  env: process.env,
  onProgress: (e) => console.log(`${e.step} ${e.state}: ${e.message}`),
});
console.log(`Kafka ${version}: ${jars.jars.length} jars`);
