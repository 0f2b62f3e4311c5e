package tech.kayys.gamelan.examples.executor;

import java.util.Map;

/**
 * The connection as a Quarkus (SmallRye Reactive Messaging) Gamelan service reads it from its environment: the
 * MicroProfile names of the Java channels, each channel's name being its topic when nothing overrides it.
 * `gamelan-harness contract --dialect upstream` sets all of them.
 */
record Settings(String bootstrapServers, String tasksTopic, String resultsTopic, String dlqTopic, String groupId,
        String executorType, String executorId, String groupProtocol, Map<String, String> security) {

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
                groupProtocol(env.getOrDefault("MP_MESSAGING_INCOMING_WORKFLOW_TASKS_GROUP_PROTOCOL",
                        env.getOrDefault("GAMELAN_GROUP_PROTOCOL", "classic"))),
                ClientSecurity.fromEnv(env));
    }

    /** Kafka's group.protocol: classic, or consumer (KIP-848, Kafka 4). */
    private static String groupProtocol(String value) {
        if (!value.equals("classic") && !value.equals("consumer")) {
            throw new IllegalStateException("group.protocol " + value + " is not allowed: use classic or consumer");
        }
        return value;
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: export it (host:port[,host:port]) before starting the executor");
        }
        return value;
    }
}
