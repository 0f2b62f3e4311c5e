import { Kafka, logLevel } from '../../../harness/clients/kafkajs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import { checkHistory, renderHistoryReport } from '../../../harness/checker/index.js';
import { DEFAULT_CONFIG } from '../../../harness/config/index.js';
import { behaviours } from '../../../harness/executors/handler.js';
import { FakeExecutor } from '../../../harness/executors/executor.js';
import {
  brokerAddresses,
  chooseFaultProxy,
  NetworkFaults,
  type StartedToxiproxy,
  startToxiproxy,
} from '../../../harness/faults/index.js';
import { rebalancedTo, runCompleted } from '../../../harness/matchers/index.js';
import { openWorkspace, type Workspace } from '../../../harness/workspace/index.js';
import { startTestBroker } from '../../support/broker.js';

// The faults and the checker together: one of two executors is cut off from the broker (a blackhole)
// for longer than its session timeout while runs are in flight. Its partitions move to the other
// executor, its unanswered tasks are redelivered there, and the history checker finds nothing lost,
// nothing completed twice, nothing unexplained.

const found = await chooseFaultProxy(); // none only when GAMELAN_FAULT_PROXY forces a missing one
const unavailable = found.kind === 'none' ? found.reason : undefined;
if (unavailable) console.warn(`[skip] executor partition test: ${unavailable}`);

const RUNS = 12;
const SESSION_TIMEOUT_MS = 3_000;

describe.skipIf(unavailable !== undefined)(
  'an executor partitioned from the broker longer than its session timeout',
  () => {
    let broker: StartedBroker;
    let toxiproxy: StartedToxiproxy;
    let net: NetworkFaults;
    let workspace: Workspace;

    beforeAll(async () => {
      broker = await startTestBroker();
      toxiproxy = await startToxiproxy();
      workspace = await openWorkspace(broker, DEFAULT_CONFIG, {
        name: 'partition',
        overrides: { consumer: { sessionTimeoutMs: SESSION_TIMEOUT_MS, heartbeatIntervalMs: 500 } },
      });
      net = await NetworkFaults.create({
        toxiproxy,
        brokers: await brokerAddresses(workspace.admin),
        clients: ['cut-off'],
      });
    });

    afterAll(async () => {
      await workspace?.stop();
      await net?.stop();
      await toxiproxy?.stop();
      await broker?.stop();
    });

    it('loses nothing and completes nothing twice', async () => {
      const recorder = await workspace.startRecorder();
      const engine = await workspace.startEngine();
      const handler = behaviours.slow(150);
      const cutOffKafka = new Kafka({
        clientId: 'cut-off-executor',
        brokers: [...broker.bootstrapServers],
        socketFactory: net.socketFactory('cut-off'),
        logLevel: logLevel.NOTHING,
      });
      workspace.own(
        await FakeExecutor.start({
          kafka: cutOffKafka,
          config: workspace.config,
          executorType: 'import-executor',
          handler,
        }),
      );
      await workspace.startExecutor({ executorType: 'import-executor', handler });
      // Both own partitions before the cut, so some runs' tasks can only finish after the failover.
      const group = {
        groupId: workspace.config.consumer.groupId,
        members: 2,
        topic: workspace.topics.tasks,
        partitions: workspace.config.partitions,
        timeoutMs: 30_000,
      };
      expect((await rebalancedTo(recorder, group)).pass).toBe(true);

      const runIds: string[] = [];
      for (let i = 0; i < RUNS; i++)
        runIds.push((await engine.startRun('bulk-import', { tenantId: 't1', context: { record: i } })).runId);
      const fault = await net.blackhole({ client: 'cut-off', forMs: SESSION_TIMEOUT_MS * 3 });
      const cutAt = Date.now();
      for (const runId of runIds) expect((await runCompleted(recorder, runId, { timeoutMs: 60_000 })).pass).toBe(true);
      const recoveredMs = Date.now() - cutAt;
      await fault.removed;

      const report = checkHistory(
        recorder.messages((m) => runIds.includes((m.value as { runId?: string } | undefined)?.runId ?? '')),
      );
      console.log(
        `${RUNS} runs completed ${recoveredMs} ms after the executor was cut off; ${report.stats.redeliveredResults} redelivered result(s), ${report.stats.resentTasks} re-sent task(s)`,
      );
      if (!report.ok) console.log(renderHistoryReport(report));
      expect(report.counts).toEqual({ lost: 0, duplicated: 0, lateAccepted: 0, outOfOrder: 0, unexplained: 0 });
      expect(report.stats.runsFinished).toBe(RUNS);
      expect(recoveredMs).toBeGreaterThanOrEqual(SESSION_TIMEOUT_MS - 1_000); // the cut-off executor's runs waited for its session to expire
    });
  },
);
