package tsdbbackup.harness;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Usage: Watchdog MAIN_CLASS [ARGS...]
 *
 * Runs MAIN_CLASS.main(ARGS) and, in a daemon thread, reads stdin until EOF. The harness keeps a
 * pipe open on our stdin; when the Node process dies for any reason (even SIGKILL) the pipe closes
 * and this JVM exits, so no server outlives the test run. Shutdown hooks get 10 s, then we halt.
 */
public final class Watchdog {
  public static void main(String[] args) throws Throwable {
    if (args.length < 1) {
      System.err.println("usage: Watchdog MAIN_CLASS [ARGS...]");
      System.exit(2);
    }
    Thread watch = new Thread(Watchdog::watchStdin, "harness-stdin-watchdog");
    watch.setDaemon(true);
    watch.start();
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    main.setAccessible(true); // e.g. TSDMain is a package-private class
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void watchStdin() {
    try {
      InputStream in = System.in;
      byte[] buf = new byte[256];
      while (in.read(buf) >= 0) {
        // ignore anything written; only EOF matters
      }
    } catch (Throwable ignored) {
      // a broken stdin means the parent is gone too
    }
    System.err.println("HARNESS-WATCHDOG: parent closed stdin, exiting");
    Thread halt = new Thread(() -> {
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException ignored) {
        // halt now
      }
      Runtime.getRuntime().halt(143);
    }, "harness-halt");
    halt.setDaemon(true);
    halt.start();
    System.exit(143);
  }
}
