package tech.kayys.gamelan.examples.executor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tech.kayys.gamelan.examples.executor.Messages.ErrorInfo;
import tech.kayys.gamelan.examples.executor.Messages.ExecutionStatus;
import tech.kayys.gamelan.examples.executor.Messages.TaskMessage;
import tech.kayys.gamelan.examples.executor.Messages.TaskResultMessage;

/**
 * A Gamelan executor of one type: consumes the tasks topic in its consumer group, skips tasks for other
 * executor types, answers each of its tasks with a TaskResultMessage keyed by runId, dead-letters records it
 * cannot read (bytes unchanged) and commits only after the answer is written.
 */
public final class Main {
    /** Jackson as Quarkus configures it: ISO-8601 instants, durations as decimal seconds, unknown fields ignored. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Settings settings;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;

    Main(Settings settings) {
        this.settings = settings;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, settings.groupProtocol());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.putAll(settings.security()); // SASL/TLS from KAFKA_SECURITY_PROTOCOL and friends; none: PLAINTEXT
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putAll(settings.security());
        this.consumer = new KafkaConsumer<>(c);
        this.producer = new KafkaProducer<>(p);
    }

    public static void main(String[] args) {
        Main executor = new Main(Settings.fromEnv(System.getenv()));
        Thread loop = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            executor.consumer.wakeup();
            try {
                loop.join(10_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        executor.run();
    }

    void run() {
        System.out.printf("executor %s (type %s) consuming %s in group %s%n", settings.executorId(), settings.executorType(),
                settings.tasksTopic(), settings.groupId());
        try (consumer; producer) {
            consumer.subscribe(List.of(settings.tasksTopic()));
            while (true) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) handle(record);
                if (!records.isEmpty()) {
                    producer.flush();
                    consumer.commitSync();
                }
            }
        } catch (WakeupException stopping) {
            System.out.println("executor stopping");
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        TaskMessage task;
        try {
            task = read(record);
        } catch (Exception poison) {
            deadLetter(record, poison);
            return;
        }
        if (!settings.executorType().equals(task.targetExecutor())) {
            return; // another executor type's task: committed and ignored
        }
        long started = System.nanoTime();
        ExecutionStatus status;
        Map<String, Object> output = null;
        ErrorInfo error = null;
        try {
            output = PaymentLogic.charge(task);
            status = ExecutionStatus.SUCCESS;
        } catch (PaymentLogic.Declined declined) {
            status = ExecutionStatus.FAILURE;
            error = new ErrorInfo(declined.code, declined.getMessage());
        }
        TaskResultMessage result = new TaskResultMessage(task.taskId(), task.runId(), task.nodeId(), task.attempt(),
                task.token(), status, output, error, Duration.ofNanos(System.nanoTime() - started), settings.executorId(),
                Instant.now());
        try {
            ProducerRecord<String, byte[]> out =
                    new ProducerRecord<>(settings.resultsTopic(), Messages.resultKey(task), MAPPER.writeValueAsBytes(result));
            out.headers().add("content-type", bytes("application/json"));
            out.headers().add("gamelan-message-type", bytes("TaskResultMessage"));
            out.headers().add("gamelan-schema-version", bytes("1"));
            String traceparent = childTraceparent(record.headers());
            if (traceparent != null) out.headers().add("traceparent", bytes(traceparent));
            producer.send(out);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the result of " + task.taskId(), e);
        }
    }

    private static TaskMessage read(ConsumerRecord<String, byte[]> record) throws Exception {
        if (record.value() == null) throw new IllegalArgumentException("record has no value (a tombstone)");
        TaskMessage task = MAPPER.readValue(record.value(), TaskMessage.class);
        if (task.taskId() == null || task.runId() == null || task.nodeId() == null || task.token() == null) {
            throw new IllegalArgumentException("taskId, runId, nodeId and token are required");
        }
        return task;
    }

    /** Bytes unchanged, Spring's kafka_dlt-* origin headers. */
    private void deadLetter(ConsumerRecord<String, byte[]> record, Exception cause) {
        System.err.printf("dead-lettering %s-%d@%d: %s%n", record.topic(), record.partition(), record.offset(), cause.getMessage());
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(settings.dlqTopic(), record.key(), record.value());
        out.headers().add("kafka_dlt-original-topic", bytes(record.topic()));
        out.headers().add("kafka_dlt-original-partition", java.nio.ByteBuffer.allocate(4).putInt(record.partition()).array());
        out.headers().add("kafka_dlt-original-offset", java.nio.ByteBuffer.allocate(8).putLong(record.offset()).array());
        out.headers().add("kafka_dlt-original-consumer-group", bytes(settings.groupId()));
        out.headers().add("kafka_dlt-exception-fqcn", bytes(cause.getClass().getName()));
        out.headers().add("kafka_dlt-exception-message", bytes(String.valueOf(cause.getMessage())));
        producer.send(out);
    }

    /** The task's W3C trace continued with a new span id, or null when the task carried none. */
    private static String childTraceparent(Headers headers) {
        Header header = headers.lastHeader("traceparent");
        if (header == null) return null;
        String[] parts = new String(header.value(), StandardCharsets.UTF_8).split("-");
        if (parts.length != 4) return null;
        return String.join("-", parts[0], parts[1], String.format("%016x", ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)), parts[3]);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
