package io.picortex.agent.install;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Stands in for {@code java.lang.PicortexBridge} in weaver tests (same static methods), so woven
 * classes can be defined and run in a plain class loader. Records every call and can be told to
 * throw or to replace values.
 */
public final class RecordingBridge {
  public static final List<String> CALLS = new ArrayList<>();
  public static RuntimeException throwOnEnter;
  public static Error throwOnArgument;
  public static RuntimeException throwOnExit;
  public static UnaryOperator<Object> argumentReplacement;
  public static UnaryOperator<Object> resultReplacement;
  public static final Object STATE = "state";

  private RecordingBridge() {}

  public static void reset() {
    CALLS.clear();
    throwOnEnter = null;
    throwOnArgument = null;
    throwOnExit = null;
    argumentReplacement = null;
    resultReplacement = null;
  }

  public static Object enter(int hook, Object self, Object argument) {
    CALLS.add("enter " + hook + " " + describe(self) + " " + describe(argument));
    if (throwOnEnter != null) {
      throw throwOnEnter;
    }
    return STATE;
  }

  public static Object argument(int hook, Object state, Object original) {
    CALLS.add("argument " + hook + " " + state + " " + describe(original));
    if (throwOnArgument != null) {
      throw throwOnArgument;
    }
    return argumentReplacement == null ? original : argumentReplacement.apply(original);
  }

  public static Object exit(int hook, Object state, Object self, Object result, Throwable thrown) {
    CALLS.add("exit " + hook + " " + state + " " + describe(self) + " " + describe(result) + " "
        + (thrown == null ? "-" : thrown.getClass().getSimpleName() + ":" + thrown.getMessage()));
    if (throwOnExit != null) {
      throw throwOnExit;
    }
    return resultReplacement == null ? result : resultReplacement.apply(result);
  }

  static String describe(Object o) {
    if (o == null) {
      return "null";
    }
    if (o.getClass().getSimpleName().equals("Fixture")) {
      return "this";
    }
    return o.getClass().getSimpleName() + ":" + o;
  }
}
