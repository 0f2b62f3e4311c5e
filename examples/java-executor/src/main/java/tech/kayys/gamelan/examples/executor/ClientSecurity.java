package tech.kayys.gamelan.examples.executor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka client security from the environment, with the names Quarkus maps onto {@code kafka.*} properties
 * (KAFKA_SECURITY_PROTOCOL → security.protocol, KAFKA_SASL_JAAS_CONFIG → sasl.jaas.config, …): what the
 * harness sets for a secure broker (gamelan-harness contract --security sasl-ssl), and what a deployment sets.
 * Nothing set: PLAINTEXT, as before.
 */
final class ClientSecurity {
    /** The client properties read, by their environment variable. */
    private static final Map<String, String> KEYS = Map.of(
            "KAFKA_SECURITY_PROTOCOL", "security.protocol",
            "KAFKA_SASL_MECHANISM", "sasl.mechanism",
            "KAFKA_SASL_JAAS_CONFIG", "sasl.jaas.config",
            "KAFKA_SSL_TRUSTSTORE_LOCATION", "ssl.truststore.location",
            "KAFKA_SSL_TRUSTSTORE_TYPE", "ssl.truststore.type",
            "KAFKA_SSL_TRUSTSTORE_PASSWORD", "ssl.truststore.password",
            "KAFKA_SSL_TRUSTSTORE_CERTIFICATES", "ssl.truststore.certificates",
            "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "ssl.endpoint.identification.algorithm");

    private ClientSecurity() {}

    static Map<String, String> fromEnv(Map<String, String> env) {
        Map<String, String> props = new LinkedHashMap<>();
        KEYS.forEach((variable, key) -> {
            String value = env.get(variable);
            if (value != null) props.put(key, value);
        });
        return props;
    }
}
