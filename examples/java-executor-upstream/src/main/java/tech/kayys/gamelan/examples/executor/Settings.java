package tech.kayys.gamelan.examples.executor;

import java.util.Map;

/**
 * The connection as a Quarkus (SmallRye Reactive Messaging) Gamelan service reads it from its environment: the
 * MicroProfile names of the Java channels, each channel's name being its topic when nothing overrides it.
 * `gamelan-harness contract --dialect upstream` sets all of them.
 */
record Settings(String bootstrapServers, String tasksTopic, String resultsTopic, String dlqTopic, String groupId,
        String executorType, String executorId, Map<String, String> security) {

    static Settings fromEnv(Map<String, String> env) {
        String type = env.getOrDefault("GAMELAN_EXECUTOR_TYPE", "payment-processor");
        return new Settings(
                required(env, "KAFKA_BOOTSTRAP_SERVERS"),
                env.getOrDefault("MP_MESSAGING_INCOMING_WORKFLOW_TASKS_TOPIC", "workflow-tasks"),
                env.getOrDefault("MP_MESSAGING_OUTGOING_WORKFLOW_RESULTS_TOPIC", "workflow-results"),
                env.getOrDefault("MP_MESSAGING_OUTGOING_WORKFLOW_DLQ_TOPIC", "workflow-dlq"),
                env.getOrDefault("MP_MESSAGING_INCOMING_WORKFLOW_TASKS_GROUP_ID", type + "-executors"),
                type,
                env.getOrDefault("GAMELAN_EXECUTOR_ID", type + "-java-" + ProcessHandle.current().pid()),
                ClientSecurity.fromEnv(env));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: export it (host:port[,host:port]) before starting the executor");
        }
        return value;
    }
}
