package io.picortex.agent.install;

/**
 * What is woven into a matched method: calls to {@code PicortexBridge} and nothing else, so woven
 * code links only to the JDK and the bridge whatever class loader the target has. Every call is
 * wrapped so that a throwable from it is dropped and the method runs on as if unwoven.
 *
 * <ul>
 *   <li>At the start: {@code state = PicortexBridge.enter(hook, self, argument)}; with {@link
 *       #replacingArgument} also {@code arg = (T) PicortexBridge.argument(hook, state, arg)}.
 *   <li>With {@link #onExit}, at every return and on every throwable leaving the method: {@code
 *       PicortexBridge.exit(hook, state, self, result, thrown)}; with {@link #replacingReturned}
 *       its answer is what the method returns. The throwable is always rethrown unchanged.
 * </ul>
 *
 * <pre>{@code Advice.onEnter(Advice.THIS, Advice.argument(0)).onExit(Advice.THIS, Advice.RETURNED)}</pre>
 */
public final class Advice {

  /** A value handed to the bridge. */
  public static final class Value {
    final int kind;
    final int index;

    private Value(int kind, int index) {
      this.kind = kind;
      this.index = index;
    }

    @Override
    public String toString() {
      switch (kind) {
        case NONE: return "null";
        case SELF: return "this";
        case ARG: return "arg" + index;
        default: return "returned";
      }
    }
  }

  static final int NONE = 0;
  static final int SELF = 1;
  static final int ARG = 2;
  static final int RESULT = 3;

  /** {@code null}. */
  public static final Value NOTHING = new Value(NONE, -1);

  /** The instance the method runs on (never for static methods). */
  public static final Value THIS = new Value(SELF, -1);

  /** The return value (only at exit; null when the method throws). */
  public static final Value RETURNED = new Value(RESULT, -1);

  /** Parameter {@code index} (0-based, {@code this} not counted); must be a reference type. */
  public static Value argument(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("argument index " + index);
    }
    return new Value(ARG, index);
  }

  final Value enterSelf;
  final Value enterArgument;
  final int replacedArgument; // -1: none
  final int onlyIfTrue; // -1: always
  final boolean exit;
  final Value exitSelf;
  final Value exitResult;
  final boolean replaceReturned;

  private Advice(
      Value enterSelf, Value enterArgument, int replacedArgument, int onlyIfTrue, boolean exit,
      Value exitSelf, Value exitResult, boolean replaceReturned) {
    this.enterSelf = enterSelf;
    this.enterArgument = enterArgument;
    this.replacedArgument = replacedArgument;
    this.onlyIfTrue = onlyIfTrue;
    this.exit = exit;
    this.exitSelf = exitSelf;
    this.exitResult = exitResult;
    this.replaceReturned = replaceReturned;
  }

  /** {@code PicortexBridge.enter(hook, self, argument)} at the start of the method. */
  public static Advice onEnter(Value self, Value argument) {
    requireNotReturned(self, "enter");
    requireNotReturned(argument, "enter");
    return new Advice(self, argument, -1, -1, false, NOTHING, NOTHING, false);
  }

  /** Parameter {@code index} becomes what {@code PicortexBridge.argument} answers (cast to its type). */
  public Advice replacingArgument(int index) {
    return new Advice(enterSelf, enterArgument, index, onlyIfTrue, exit, exitSelf, exitResult,
        replaceReturned);
  }

  /** Enter (and so exit) only when the {@code boolean} parameter {@code index} is true. */
  public Advice onlyIfTrue(int index) {
    if (exit) {
      throw new IllegalStateException("a conditional enter cannot have an exit");
    }
    return new Advice(enterSelf, enterArgument, replacedArgument, index, false, exitSelf,
        exitResult, replaceReturned);
  }

  /** {@code PicortexBridge.exit(hook, state, self, result, thrown)} whenever the method ends. */
  public Advice onExit(Value self, Value result) {
    if (onlyIfTrue >= 0) {
      throw new IllegalStateException("a conditional enter cannot have an exit");
    }
    requireNotReturned(self, "exit's self");
    return new Advice(enterSelf, enterArgument, replacedArgument, onlyIfTrue, true, self, result,
        replaceReturned);
  }

  /** The method returns what {@code PicortexBridge.exit} answers (cast to the return type). */
  public Advice replacingReturned() {
    if (!exit || exitResult.kind != RESULT) {
      throw new IllegalStateException("replacing the returned value needs onExit(.., RETURNED)");
    }
    return new Advice(enterSelf, enterArgument, replacedArgument, onlyIfTrue, exit, exitSelf,
        exitResult, true);
  }

  private static void requireNotReturned(Value v, String where) {
    if (v.kind == RESULT) {
      throw new IllegalArgumentException("RETURNED is not known at " + where);
    }
  }

  @Override
  public String toString() {
    return "enter(" + enterSelf + ", " + enterArgument + ")"
        + (replacedArgument >= 0 ? " replaces arg" + replacedArgument : "")
        + (onlyIfTrue >= 0 ? " if arg" + onlyIfTrue : "")
        + (exit ? " exit(" + exitSelf + ", " + exitResult + ")" : "")
        + (replaceReturned ? " replaces returned" : "");
  }
}
