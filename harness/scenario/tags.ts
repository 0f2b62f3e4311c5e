// The scenario tags, apart from the scenario schema (define.ts, zod): resolving scenario names and tags
// (`list`, `run`, their bad input) needs these and not zod.
export const SCENARIO_TAGS = ['slow', 'chaos'] as const;
export type ScenarioTag = (typeof SCENARIO_TAGS)[number];
/** Tags whose scenarios `run` leaves out unless named, asked for by tag, or `--all`. */
export const OPT_IN_TAGS: readonly ScenarioTag[] = ['slow', 'chaos'];
