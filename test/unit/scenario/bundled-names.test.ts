import { describe, expect, it } from 'vitest';
import { bundledScenarioNames, bundledScenarios } from '../../../harness/scenario/import-scenarios.js';

// `run`/`list` refuse an unknown scenario name from the file names alone, without importing every
// bundled scenario: that holds only while each bundled file's scenario is named as its file.
describe('bundled scenario names', () => {
  it("are the file names, each file's scenario carrying its file's name", async () => {
    const loaded = await bundledScenarios();
    expect(bundledScenarioNames()).toEqual(loaded.map((s) => s.definition.name));
    expect(bundledScenarioNames().length).toBeGreaterThan(5);
  }, 60_000);
});
