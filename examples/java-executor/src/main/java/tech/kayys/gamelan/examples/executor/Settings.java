package tech.kayys.gamelan.examples.executor;

import java.util.Map;

/** The connection, from the environment the contract runner (or your deployment) sets. */
record Settings(String bootstrapServers, String tasksTopic, String resultsTopic, String dlqTopic, String groupId,
        String executorType, String executorId, String groupProtocol, Map<String, String> security) {

    static Settings fromEnv(Map<String, String> env) {
        String type = env.getOrDefault("GAMELAN_EXECUTOR_TYPE", "payment-processor");
        return new Settings(
                required(env, "GAMELAN_KAFKA_BOOTSTRAP_SERVERS"),
                env.getOrDefault("GAMELAN_TASKS_TOPIC", "gamelan.workflow-tasks"),
                env.getOrDefault("GAMELAN_RESULTS_TOPIC", "gamelan.task-results"),
                env.getOrDefault("GAMELAN_DLQ_TOPIC", "gamelan.dead-letter-queue"),
                env.getOrDefault("GAMELAN_GROUP_ID", type + "-executors"),
                type,
                env.getOrDefault("GAMELAN_EXECUTOR_ID", type + "-java-" + ProcessHandle.current().pid()),
                groupProtocol(env.getOrDefault("GAMELAN_GROUP_PROTOCOL", "classic")),
                ClientSecurity.fromEnv(env));
    }

    /** Kafka's group.protocol: classic, or consumer (KIP-848, Kafka 4). */
    private static String groupProtocol(String value) {
        if (!value.equals("classic") && !value.equals("consumer")) {
            throw new IllegalStateException("GAMELAN_GROUP_PROTOCOL=" + value + " is not allowed: use classic or consumer");
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
