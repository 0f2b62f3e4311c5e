import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a main class (kafka.Kafka) and halts the JVM as soon as its standard input reaches EOF.
 *
 * The harness spawns the broker with stdin as a pipe it never writes to and never closes: when the
 * harness dies for any reason, including kill -9, the kernel closes the pipe, this thread sees EOF
 * and the broker goes away instead of surviving as an orphan. Usage:
 *
 *   java [-Dgamelan.deleteOnParentExit=DIR] [-Dgamelan.formatArgsFile=FILE] ParentWatchLauncher MAIN_CLASS ARGS...
 *
 * DIR is removed before halting; the harness passes it only for the temp directories it created.
 *
 * FILE holds the arguments of Kafka's StorageTool (`format -t ID -c server.properties ...`), one per
 * line: the log dir is formatted in this JVM before MAIN_CLASS starts, instead of in a JVM of its own
 * (a second JVM start). The file is deleted once read (it may hold a SCRAM password). A failed
 * format prints why and exits 1 before the broker starts.
 */
public final class ParentWatchLauncher {
  private ParentWatchLauncher() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ParentWatchLauncher MAIN_CLASS [ARGS...]");
      System.exit(2);
    }
    Thread watcher = new Thread(ParentWatchLauncher::watchStdin, "gamelan-parent-watch");
    watcher.setDaemon(true);
    watcher.start();

    String formatArgsFile = System.getProperty("gamelan.formatArgsFile");
    if (formatArgsFile != null && !formatArgsFile.isEmpty()) {
      int code = formatStorage(Paths.get(formatArgsFile));
      if (code != 0) {
        System.exit(code);
      }
    }

    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }

  /** StorageTool.execute (its main would exit the JVM): 0 when the log dir was formatted. */
  private static int formatStorage(Path argsFile) {
    String[] formatArgs;
    try {
      List<String> lines = Files.readAllLines(argsFile);
      Files.deleteIfExists(argsFile);
      formatArgs = lines.stream().filter(line -> !line.isEmpty()).toArray(String[]::new);
    } catch (IOException e) {
      System.err.println("Formatting KRaft storage failed: cannot read " + argsFile + ": " + e);
      return 1;
    }
    try {
      Method execute = Class.forName("kafka.tools.StorageTool").getMethod("execute", String[].class, PrintStream.class);
      Object code = execute.invoke(null, formatArgs, System.out);
      return code instanceof Integer ? (Integer) code : 0;
    } catch (InvocationTargetException e) {
      // TerseFailure (a bad config, an already formatted dir with another id) carries the whole story in its message.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("Formatting KRaft storage failed: " + cause.getMessage());
      if (!cause.getClass().getSimpleName().equals("TerseFailure")) {
        cause.printStackTrace();
      }
      return 1;
    } catch (ReflectiveOperationException e) {
      System.err.println("Formatting KRaft storage failed: kafka.tools.StorageTool.execute not found in this Kafka (" + e + ")");
      return 1;
    }
  }

  private static void watchStdin() {
    byte[] buffer = new byte[256];
    try (InputStream in = System.in) {
      while (in.read(buffer) >= 0) {
        // The harness never writes; anything read is ignored.
      }
    } catch (IOException e) {
      // A broken pipe means the parent is gone, the same as EOF.
    }
    String dir = System.getProperty("gamelan.deleteOnParentExit");
    if (dir != null && !dir.isEmpty()) {
      deleteTree(Paths.get(dir));
    }
    // halt, not exit: shutdown hooks would run a graceful broker shutdown nobody waits for.
    Runtime.getRuntime().halt(0);
  }

  private static void deleteTree(Path root) {
    // The broker keeps running while we walk and may create a segment file behind us: retry a few passes.
    for (int pass = 0; pass < 3 && Files.exists(root); pass++) {
      try {
        Files.walkFileTree(root, new SimpleFileVisitor<Path>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            try {
              Files.deleteIfExists(dir);
            } catch (IOException notEmptyYet) {
              // picked up by the next pass
            }
            return FileVisitResult.CONTINUE;
          }
        });
      } catch (IOException | RuntimeException ignored) {
        // Best effort: the JVM must halt regardless.
      }
    }
  }
}
