package tech.kayys.gamelan.examples.executor;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two messages as the Gamelan Java code puts them on Kafka (its protocol module's records on the SmallRye
 * channels workflow-tasks and workflow-results), not as the protocol README names them. The engine parses
 * {@code status} with {@code NodeExecutionStatus.valueOf} and counts only COMPLETED as success; it drops a result
 * without {@code executionToken}; {@code error} is a {@code Map<String,String>}. The rest of this executor is
 * compiled from examples/java-executor (see pom.xml), so this file also offers the names Main uses.
 */
final class Messages {
    private Messages() {}

    /**
     * A task as KafkaTaskProducer writes it (taskId = runId:nodeId:attempt; the engine's dispatcher path omits it).
     * The README's names are accepted on read too, as the README example accepts the Java ones.
     */
    record TaskMessage(
            String taskId,
            String runId,
            String nodeId,
            int attempt,
            @JsonAlias("token") String executionToken,
            Map<String, Object> context,
            String targetExecutor,
            @JsonAlias("createdAt") Instant scheduledAt) {

        /** The task id, derived when the dispatcher path left it out. */
        public String taskId() {
            return taskId != null ? taskId : runId + ":" + nodeId + ":" + attempt;
        }

        /** The execution token (Main reads it under the README's name). */
        String token() {
            return executionToken;
        }
    }

    /** The engine's NodeExecutionStatus names (an unknown name makes valueOf throw and the result is dropped). */
    enum NodeExecutionStatus { PENDING, EXECUTING, COMPLETED, FAILED, WAITING, CANCELLED, SKIPPED, RETRYING, SUCCESS, RUNNING }

    /** What the handler decided, written as the status the engine understands: success is COMPLETED, never SUCCESS. */
    enum ExecutionStatus {
        SUCCESS(NodeExecutionStatus.COMPLETED),
        FAILURE(NodeExecutionStatus.FAILED);

        final NodeExecutionStatus upstream;

        ExecutionStatus(NodeExecutionStatus upstream) {
            this.upstream = upstream;
        }
    }

    /** Why a task failed; written as the Map<String,String> the engine reads (strings only, message may be null). */
    record ErrorInfo(String code, String message) {
        Map<String, String> asMap() {
            Map<String, String> map = new LinkedHashMap<>();
            map.put("code", code);
            map.put("message", message);
            return map;
        }
    }

    /** Results are keyed by runId, as KafkaResultProducer does. */
    static String resultKey(TaskMessage task) {
        return task.runId();
    }

    /** A result as KafkaResultProducer writes it and the engine reads it: no taskId, executionTime or executorId. */
    @JsonInclude(JsonInclude.Include.ALWAYS) // Jackson's default in Quarkus: nulls are written
    record TaskResultMessage(
            String runId,
            String nodeId,
            int attempt,
            NodeExecutionStatus status,
            Map<String, Object> output,
            Map<String, String> error,
            String executionToken,
            Instant completedAt) {

        /** What Main builds, as the upstream record (taskId, executionTime and executorId have no place in it). */
        TaskResultMessage(String taskId, String runId, String nodeId, int attempt, String token, ExecutionStatus status,
                Map<String, Object> output, ErrorInfo error, Duration executionTime, String executorId, Instant completedAt) {
            this(runId, nodeId, attempt, status.upstream, output, error == null ? null : error.asMap(), token, completedAt);
        }
    }
}
