package tech.kayys.gamelan.examples.executor;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A deliberately BROKEN copy of examples/java-executor's Messages: results keyed by taskId and a
 * misspelled `tokn` field. The rest of this executor is compiled from examples/java-executor (see pom.xml).
 */
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

    /** BROKEN: keyed by taskId, not runId. */
    static String resultKey(TaskMessage task) {
        return task.taskId();
    }

    /** The result, keyed by runId on the results topic. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TaskResultMessage(
            String taskId,
            String runId,
            String nodeId,
            int attempt,
            String tokn, // BROKEN: the contract says `token`
            ExecutionStatus status,
            Map<String, Object> output,
            ErrorInfo error,
            Duration executionTime,
            String executorId,
            Instant completedAt) {}
}
