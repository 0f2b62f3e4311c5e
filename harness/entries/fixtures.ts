// `gamelan-kafka-harness/fixtures`: seeded faker builders of valid messages (same seed, same message), for tests
// and for `produce --build`. The only entry that loads @faker-js/faker.
export {
  buildDeadLetter,
  buildStatusUpdate,
  buildTask,
  buildTaskResult,
  buildWorkflowEvent,
  EVENT_TYPES,
  RUN_STATUSES,
  seededFaker,
  type BuildOptions,
} from '../../fixtures/builders/index.js';
