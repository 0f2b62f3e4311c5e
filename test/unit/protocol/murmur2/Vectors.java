// Prints Java-client murmur2 vectors: java -cp "/path/to/kafka/libs/*" Vectors.java > vectors.json (then wrap as in vectors.json).
import org.apache.kafka.common.utils.Utils;
import java.nio.charset.StandardCharsets;
public class Vectors {
  public static void main(String[] a) {
    String[] keys = {"", "a", "ab", "abc", "21", "foobar", "a-little-bit-long-string", "a-little-bit-longer-string",
      "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", "1", "12", "123", "1234", "12345",
      "run-0001", "run-42", "8f14e45f-ceea-467f-a0e8-3f1c2e6b9a01", "tenant-acme", "tenant-globex", "örnek-çalışma", "工作流-运行", "🎵gamelan"};
    StringBuilder sb = new StringBuilder("[\n");
    for (int i = 0; i < keys.length; i++) {
      byte[] b = keys[i].getBytes(StandardCharsets.UTF_8);
      int h = Utils.murmur2(b);
      int p = Utils.toPositive(h);
      sb.append(String.format("  { \"key\": \"%s\", \"murmur2\": %d, \"partitions\": { \"1\": %d, \"3\": %d, \"7\": %d, \"10\": %d, \"64\": %d } }%s\n",
        keys[i], h, p % 1, p % 3, p % 7, p % 10, p % 64, i == keys.length - 1 ? "" : ","));
    }
    sb.append("]");
    System.out.println(sb);
  }
}
