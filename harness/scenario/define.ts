import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { ClusterNeeds } from '../faults/cluster-faults.js';
import type { WorkspaceOverrides } from '../workspace/config.js';
import type { ScenarioContext } from './context.js';
import { SCENARIO_TAGS, type ScenarioTag } from './tags.js';

/** One scripted scenario: a name, what it shows, and the steps that play it and assert on the flow. */
export interface ScenarioDefinition {
  /** kebab-case, unique: `gamelan-harness run <name>`. */
  readonly name: string;
  readonly description: string;
  /** Fail the scenario if it has not finished after this long (default 120 s). */
  readonly timeoutMs?: number;
  /** Configuration overrides for this scenario (e.g. dlq backoff), merged over the harness's. */
  readonly config?: ScenarioConfigOverrides;
  /**
   * `slow`, `chaos`: left out of the default set (`run` without names, `npm test`); played when named, with
   * `run --tag <tag>` or `run --all`. `chaos` also makes history anomalies fail the scenario.
   */
  readonly tags?: readonly ScenarioTag[];
  /**
   * What the history checker's anomalies (lost, duplicated… tasks, checked on the recorded flow after every
   * scenario) do: `report` (default) attaches them to the result and prints them; `fail` also fails the scenario.
   * Scenarios tagged `chaos` and `run --strict-history` fail on them too.
   */
  readonly checkHistory?: HistoryPolicy;
  /** What the cluster must offer (broker count, fault injection); without it the scenario is skipped, with the reason. */
  readonly needs?: ClusterNeeds;
  run(context: ScenarioContext): Promise<void>;
}

export { OPT_IN_TAGS, SCENARIO_TAGS, type ScenarioTag } from './tags.js';

export const HISTORY_POLICIES = ['report', 'fail'] as const;
export type HistoryPolicy = (typeof HISTORY_POLICIES)[number];

/** What a scenario may override: its workspace's partitions, dlq retries/backoff and the executors' session timeout. */
export type ScenarioConfigOverrides = Pick<WorkspaceOverrides, 'partitions' | 'dlq' | 'consumer'>;

/** A scenario's name: kebab-case (a-z, 0-9, "-"), as `gamelan-harness run <name>` takes it. */
export const SCENARIO_NAME = /^[a-z0-9][a-z0-9-]*$/;

const scenarioShape = z.object({
  name: z.string().regex(SCENARIO_NAME, 'must be kebab-case (a-z, 0-9, "-")'),
  description: z.string().min(1),
  timeoutMs: z.number().int().positive().optional(),
  tags: z.array(z.enum(SCENARIO_TAGS)).optional(),
  checkHistory: z.enum(HISTORY_POLICIES).optional(),
  needs: z
    .object({
      brokers: z.number().int().min(1).max(5).optional(),
      faults: z.boolean().optional(),
      clientLanes: z.boolean().optional(),
    })
    .strict()
    .optional(),
  run: z.custom<ScenarioDefinition['run']>(
    (v) => typeof v === 'function',
    'must be a function (context) => Promise<void>',
  ),
});

/** Declare a scenario (the default export of a file in scenarios/). Checked when it is declared. */
export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  assertScenario(definition, definition.name ?? '(unnamed scenario)');
  return definition;
}

export function assertScenario(value: unknown, source: string): asserts value is ScenarioDefinition {
  const parsed = scenarioShape.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(default export)';
    const actual = issue.path.reduce<unknown>((n, k) => (n as Record<PropertyKey, unknown> | undefined)?.[k], value);
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${source}: scenario ${field} = ${typeof actual === 'function' ? 'a function' : JSON.stringify(actual)} is not allowed: ${issue.message}. ` +
        'A scenario file default-exports defineScenario({ name, description, run }).',
      { file: source, key: field, value: actual },
    );
  }
}
