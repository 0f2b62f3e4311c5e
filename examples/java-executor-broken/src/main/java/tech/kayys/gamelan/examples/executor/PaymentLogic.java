package tech.kayys.gamelan.examples.executor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tech.kayys.gamelan.examples.executor.Messages.TaskMessage;

/** The business part: charge `context.amount`. Deterministic per taskId, so a redelivered task gets the same answer. */
final class PaymentLogic {
    private PaymentLogic() {}

    static final class Declined extends Exception {
        final String code;

        Declined(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    static Map<String, Object> charge(TaskMessage task) throws Declined {
        Object amount = task.context() == null ? null : task.context().get("amount");
        if (!(amount instanceof Number number)) {
            throw new Declined("INVALID_PAYMENT", "context.amount is missing or not a number (got " + amount + ")");
        }
        if (number.doubleValue() <= 0) {
            throw new Declined("PAYMENT_DECLINED", "amount must be positive (got " + number + ")");
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("transactionId", UUID.nameUUIDFromBytes(task.taskId().getBytes()).toString());
        output.put("amount", number);
        output.put("currency", task.context().getOrDefault("currency", "EUR"));
        output.put("charged", true);
        return output;
    }
}
