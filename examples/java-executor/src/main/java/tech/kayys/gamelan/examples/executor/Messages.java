package tech.kayys.gamelan.examples.executor;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The two Gamelan protocol messages an executor reads and writes (field names from the spec). */
final class Messages {
    private Messages() {}

    /** A task assignment from the tasks topic. Upstream Java names are accepted on read. */
    record TaskMessage(
            String taskId,
            String runId,
            String nodeId,
            int attempt,
            @JsonAlias("executionToken") String token,
            Map<String, Object> context,
            String targetExecutor,
            @JsonAlias("scheduledAt") Instant createdAt) {}

    enum ExecutionStatus { SUCCESS, FAILURE, TIMEOUT }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ErrorInfo(String code, String message) {}

    /** Results are keyed by runId, like tasks: a run's messages stay on one partition, in order. */
    static String resultKey(TaskMessage task) {
        return task.runId();
    }

    /** The result, keyed by runId on the results topic. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TaskResultMessage(
            String taskId,
            String runId,
            String nodeId,
            int attempt,
            String token,
            ExecutionStatus status,
            Map<String, Object> output,
            ErrorInfo error,
            Duration executionTime,
            String executorId,
            Instant completedAt) {}
}
