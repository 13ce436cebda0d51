package java.lang;

/**
 * The only class Picortex puts into the boot loader. Advice woven into library and JDK classes calls
 * the static methods here with a hook number bound at weaving time; the agent, loaded by its own
 * isolated class loader, subclasses this class and does the real work.
 *
 * <p>Why {@code java.lang}: it is the one package that every class loader, OSGi included, delegates
 * to the boot loader, and that every named module reads, so woven code in {@code java.base},
 * {@code java.net.http}, {@code jdk.httpserver} or an application class can all link to it without
 * read edges or boot-class-path changes. The agent defines it at start-up through a private {@code
 * MethodHandles.Lookup} on {@code java.lang.Object}; it is never on any class path. Appending a jar
 * to the boot class path instead would switch off CDS/AOT archived classes for the application
 * loader.
 *
 * <p>The methods only use JDK types, so the woven code links no matter which agent version runs.
 * Until the agent installs itself every call is a cheap no-op.
 */
public abstract class PicortexBridge {

  private static volatile PicortexBridge agent;

  protected PicortexBridge() {}

  /** Called once by the agent; a second call (a second copy of the agent) is refused. */
  public static synchronized boolean install(PicortexBridge implementation) {
    if (agent != null || implementation == null) {
      return false;
    }
    agent = implementation;
    return true;
  }

  /**
   * Start of an instrumented method.
   *
   * @return state handed back to {@link #exit} and {@link #argument}, or null when nothing is done
   */
  public static Object enter(int hook, Object self, Object argument) {
    PicortexBridge a = agent;
    return a == null ? null : a.onEnter(hook, self, argument);
  }

  /** The argument the woven method should use instead of {@code original} (the same by default). */
  public static Object argument(int hook, Object state, Object original) {
    PicortexBridge a = agent;
    return a == null || state == null ? original : a.onArgument(hook, state, original);
  }

  /**
   * End of an instrumented method; always called after {@link #enter}, also when it returned null.
   *
   * @return the value the woven method should return instead of {@code result} (the same by
   *     default; ignored for void methods)
   */
  public static Object exit(int hook, Object state, Object self, Object result, Throwable thrown) {
    PicortexBridge a = agent;
    return a == null ? result : a.onExit(hook, state, self, result, thrown);
  }

  protected abstract Object onEnter(int hook, Object self, Object argument);

  protected abstract Object onArgument(int hook, Object state, Object original);

  protected abstract Object onExit(
      int hook, Object state, Object self, Object result, Throwable thrown);
}
