package io.picortex.sample;

/**
 * The child JVM started by {@code /api/spawn-java}: one HttpURLConnection call to the URL in
 * {@code args[0]}, then a normal return (exit code 0), so the JVM must be able to end on its own.
 */
public final class ChildMain {

  private ChildMain() {}

  public static void main(String[] args) throws Exception {
    String body = JdkService.urlConnectionGet(args[0]);
    if (!body.equals("downstream ok\n")) {
      System.err.println("unexpected answer from " + args[0] + ": " + body);
      System.exit(1);
    }
  }
}
