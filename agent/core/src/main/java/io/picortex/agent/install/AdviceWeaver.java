package io.picortex.agent.install;

import static net.bytebuddy.jar.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves {@link Advice} into one class file with ASM, in two passes: the first finds the matching
 * methods and their {@code max_locals}, the second writes the calls. The class keeps its shape (no
 * member added, no signature changed), so the same bytes serve classes being loaded and classes
 * being retransformed.
 *
 * <p>No frame is computed from the class hierarchy (that would mean loading classes): the reader
 * expands the method's own stack map frames, every one of them is extended with the advice's locals
 * (which live above the method's own {@code max_locals}), and the few frames the advice adds are
 * written out from the method descriptor. Returns go to one exit block; throwables leaving the
 * method's own code reach a catch-all registered after the method's own handlers, so the method's
 * try/catch blocks keep their meaning.
 */
final class AdviceWeaver {
  static final String BRIDGE = "java/lang/PicortexBridge";
  private static final String OBJECT = "java/lang/Object";
  private static final String THROWABLE = "java/lang/Throwable";
  private static final String ENTER = "(ILjava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;";
  private static final String ARGUMENT = ENTER;
  private static final String EXIT =
      "(ILjava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Throwable;)"
          + "Ljava/lang/Object;";

  /** Advice for the methods a matcher accepts, bound to one hook number. */
  record Rule(Methods methods, Advice advice, int hook) {}

  private final String bridge;

  AdviceWeaver() {
    this(BRIDGE);
  }

  /** With another bridge class (same static methods): lets tests run woven code in a plain loader. */
  AdviceWeaver(String bridgeInternalName) {
    this.bridge = bridgeInternalName;
  }

  /**
   * @return the woven class, or null when no method of it matches (or it is an interface)
   */
  byte[] weave(byte[] classFile, List<Rule> rules) {
    ClassReader reader = new ClassReader(classFile);
    if ((reader.getAccess() & ACC_INTERFACE) != 0) {
      return null;
    }
    Map<String, Target> targets = new HashMap<>();
    reader.accept(new ClassVisitor(ASM9) {
      private int version;

      @Override
      public void visit(int v, int access, String name, String sig, String sup, String[] itf) {
        version = v;
      }

      @Override
      public MethodVisitor visitMethod(
          int access, String name, String descriptor, String signature, String[] exceptions) {
        for (Rule rule : rules) {
          if (rule.methods().matches(access, name, descriptor)) {
            if (!fits(rule.advice(), access, descriptor)) {
              return null;
            }
            Target target = new Target(rule, version >= V1_6);
            targets.put(name + descriptor, target);
            return new MethodVisitor(ASM9) {
              @Override
              public void visitMaxs(int maxStack, int maxLocals) {
                target.maxLocals = maxLocals;
              }
            };
          }
        }
        return null;
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    if (targets.isEmpty()) {
      return null;
    }
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS) {
      @Override
      protected String getCommonSuperClass(String type1, String type2) {
        // never needed without COMPUTE_FRAMES; refusing keeps the class unwoven, never wrong
        throw new IllegalStateException("frames of " + type1 + "/" + type2 + " would need loading");
      }
    };
    reader.accept(new ClassVisitor(ASM9, writer) {
      private String owner;

      @Override
      public void visit(int v, int access, String name, String sig, String sup, String[] itf) {
        owner = name;
        super.visit(v, access, name, sig, sup, itf);
      }

      @Override
      public MethodVisitor visitMethod(
          int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
        Target target = targets.get(name + descriptor);
        return target == null || target.maxLocals < 0
            ? mv
            : new AdviceMethodVisitor(mv, bridge, owner, access, descriptor, target);
      }
    }, ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }

  /** Whether the advice can be woven into a method of this shape at all. */
  static boolean fits(Advice advice, int access, String descriptor) {
    boolean isStatic = (access & ACC_STATIC) != 0;
    Type[] arguments = Type.getArgumentTypes(descriptor);
    Type returned = Type.getReturnType(descriptor);
    for (Advice.Value v :
        new Advice.Value[] {advice.enterSelf, advice.enterArgument, advice.exitSelf,
            advice.exitResult}) {
      if (v.kind == Advice.SELF && isStatic) {
        return false;
      }
      if (v.kind == Advice.ARG && (v.index >= arguments.length || !isReference(arguments[v.index]))) {
        return false;
      }
    }
    if (advice.replacedArgument >= 0
        && (advice.replacedArgument >= arguments.length
            || !isReference(arguments[advice.replacedArgument]))) {
      return false;
    }
    if (advice.onlyIfTrue >= 0
        && (advice.onlyIfTrue >= arguments.length
            || arguments[advice.onlyIfTrue].getSort() != Type.BOOLEAN)) {
      return false;
    }
    if (advice.exitResult.kind == Advice.RESULT && returned.getSort() == Type.VOID) {
      return false;
    }
    return !advice.replaceReturned || isReference(returned);
  }

  private static boolean isReference(Type t) {
    return t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY;
  }

  /** A matched method: its rule and, after the first pass, its own {@code max_locals}. */
  private static final class Target {
    final Rule rule;
    final boolean frames;
    int maxLocals = -1;

    Target(Rule rule, boolean frames) {
      this.rule = rule;
      this.frames = frames;
    }
  }

  /** Writes the advice into one method. */
  private static final class AdviceMethodVisitor extends MethodVisitor {
    private final String bridge;
    private final Advice advice;
    private final int hook;
    private final boolean frames;
    private final boolean isStatic;
    private final Type[] arguments;
    private final Type returned;
    private final int ownLocals; // the method's max_locals: the advice's locals start here
    private final Object[] initialLocals; // the frame at the method's start
    private final List<Object> adviceLocals = new ArrayList<>(); // frame types of the advice's locals
    private final int stateSlot;
    private final int savedSelfSlot;
    private final int savedResultSlot;
    private final int returnedSlot;
    private final int thrownSlot;
    private final Label userStart = new Label();
    private final Label exitBlock = new Label();

    AdviceMethodVisitor(
        MethodVisitor mv, String bridge, String owner, int access, String descriptor,
        Target target) {
      super(ASM9, mv);
      this.bridge = bridge;
      this.advice = target.rule.advice();
      this.hook = target.rule.hook();
      this.frames = target.frames;
      this.isStatic = (access & ACC_STATIC) != 0;
      this.arguments = Type.getArgumentTypes(descriptor);
      this.returned = Type.getReturnType(descriptor);
      this.ownLocals = target.maxLocals;
      List<Object> initial = new ArrayList<>();
      if (!isStatic) {
        initial.add(owner);
      }
      for (Type t : arguments) {
        initial.add(frameType(t));
      }
      this.initialLocals = initial.toArray();
      int next = ownLocals;
      if (advice.exit) {
        stateSlot = next++;
        adviceLocals.add(OBJECT);
        savedSelfSlot = saved(advice.exitSelf) ? next++ : -1;
        if (savedSelfSlot >= 0) {
          adviceLocals.add(OBJECT);
        }
        savedResultSlot = saved(advice.exitResult) ? next++ : -1;
        if (savedResultSlot >= 0) {
          adviceLocals.add(OBJECT);
        }
        returnedSlot = returned.getSort() == Type.VOID ? -1 : next;
        next += returned.getSize();
        thrownSlot = next;
      } else {
        stateSlot = savedSelfSlot = savedResultSlot = returnedSlot = thrownSlot = -1;
      }
    }

    private static boolean saved(Advice.Value v) {
      return v.kind == Advice.SELF || v.kind == Advice.ARG;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      Label tryStart = new Label();
      Label tryEnd = new Label();
      Label handler = new Label();
      if (advice.exit) {
        if (savedSelfSlot >= 0) {
          load(advice.exitSelf);
          super.visitVarInsn(ASTORE, savedSelfSlot);
        }
        if (savedResultSlot >= 0) {
          load(advice.exitResult);
          super.visitVarInsn(ASTORE, savedResultSlot);
        }
        super.visitInsn(ACONST_NULL);
        super.visitVarInsn(ASTORE, stateSlot);
      }
      super.visitTryCatchBlock(tryStart, tryEnd, handler, THROWABLE);
      super.visitLabel(tryStart);
      if (advice.onlyIfTrue >= 0) {
        super.visitVarInsn(ILOAD, slotOf(advice.onlyIfTrue));
        super.visitJumpInsn(IFEQ, userStart);
      }
      pushInt(hook);
      load(advice.enterSelf);
      load(advice.enterArgument);
      super.visitMethodInsn(INVOKESTATIC, bridge, "enter", ENTER, false);
      if (advice.exit) {
        super.visitVarInsn(ASTORE, stateSlot);
      }
      if (advice.replacedArgument >= 0) {
        int slot = slotOf(advice.replacedArgument);
        if (advice.exit) {
          pushInt(hook);
          super.visitVarInsn(ALOAD, stateSlot);
        } else {
          pushInt(hook); // stack: state, hook
          super.visitInsn(SWAP); // hook, state
        }
        super.visitVarInsn(ALOAD, slot);
        super.visitMethodInsn(INVOKESTATIC, bridge, "argument", ARGUMENT, false);
        super.visitTypeInsn(CHECKCAST, arguments[advice.replacedArgument].getInternalName());
        super.visitVarInsn(ASTORE, slot);
      } else if (!advice.exit) {
        super.visitInsn(POP);
      }
      super.visitLabel(tryEnd);
      super.visitJumpInsn(GOTO, userStart);
      super.visitLabel(handler);
      frame(startLocals(), THROWABLE);
      super.visitInsn(POP);
      super.visitLabel(userStart);
      frame(startLocals());
      // the method's own first instruction may carry a frame: never two at one offset
      super.visitInsn(NOP);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
      if (!advice.exit || type != F_NEW) {
        super.visitFrame(type, numLocal, local, numStack, stack);
        return;
      }
      Object[] extended = withAdviceLocals(local, numLocal, adviceLocals);
      super.visitFrame(F_NEW, extended.length, extended, numStack, stack);
    }

    @Override
    public void visitInsn(int opcode) {
      if (advice.exit && opcode >= IRETURN && opcode <= RETURN) {
        if (returnedSlot >= 0) {
          super.visitVarInsn(returned.getOpcode(ISTORE), returnedSlot);
        }
        super.visitJumpInsn(GOTO, exitBlock);
        return;
      }
      super.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      if (advice.exit) {
        Label userEnd = new Label();
        super.visitLabel(userEnd);
        writeExitBlock();
        Label throwHandler = new Label();
        writeThrowHandler(throwHandler);
        // registered last: the method's own handlers are found first
        super.visitTryCatchBlock(userStart, userEnd, throwHandler, null);
      }
      super.visitMaxs(maxStack, maxLocals);
    }

    /** Every return of the method jumps here with the value in {@code returnedSlot}. */
    private void writeExitBlock() {
      Object[] locals = exitLocals(false).toArray();
      super.visitLabel(exitBlock);
      frame(locals);
      Label[] suppressed = beginSuppressed();
      callExit(false);
      if (advice.replaceReturned) {
        super.visitTypeInsn(CHECKCAST, returned.getInternalName());
        super.visitVarInsn(ASTORE, returnedSlot);
      } else {
        super.visitInsn(POP);
      }
      endSuppressed(suppressed, locals);
      if (returnedSlot >= 0) {
        super.visitVarInsn(returned.getOpcode(ILOAD), returnedSlot);
      }
      super.visitInsn(returned.getOpcode(IRETURN));
    }

    /** A throwable leaving the method's own code: exit, then the same throwable goes on. */
    private void writeThrowHandler(Label throwHandler) {
      List<Object> locals = exitLocals(true);
      List<Object> withThrown = new ArrayList<>(locals);
      withThrown.add(THROWABLE);
      super.visitLabel(throwHandler);
      frame(locals.toArray(), THROWABLE);
      super.visitVarInsn(ASTORE, thrownSlot);
      Label[] suppressed = beginSuppressed();
      callExit(true);
      super.visitInsn(POP);
      endSuppressed(suppressed, withThrown.toArray());
      super.visitVarInsn(ALOAD, thrownSlot);
      super.visitInsn(ATHROW);
    }

    /** Starts code whose throwables are dropped; {@link #endSuppressed} closes it. */
    private Label[] beginSuppressed() {
      Label[] labels = {new Label(), new Label(), new Label(), new Label()};
      super.visitTryCatchBlock(labels[0], labels[1], labels[2], THROWABLE);
      super.visitLabel(labels[0]);
      return labels;
    }

    /** Ends it: a throwable is popped, and both ways go on after it with {@code locals}. */
    private void endSuppressed(Label[] labels, Object[] locals) {
      super.visitLabel(labels[1]);
      super.visitJumpInsn(GOTO, labels[3]);
      super.visitLabel(labels[2]);
      frame(locals, THROWABLE);
      super.visitInsn(POP);
      super.visitLabel(labels[3]);
      frame(locals);
    }

    /** {@code PicortexBridge.exit(hook, state, self, result, thrown)}; its answer stays on the stack. */
    private void callExit(boolean throwing) {
      pushInt(hook);
      super.visitVarInsn(ALOAD, stateSlot);
      loadAtExit(advice.exitSelf, savedSelfSlot, throwing);
      loadAtExit(advice.exitResult, savedResultSlot, throwing);
      if (throwing) {
        super.visitVarInsn(ALOAD, thrownSlot);
      } else {
        super.visitInsn(ACONST_NULL);
      }
      super.visitMethodInsn(INVOKESTATIC, bridge, "exit", EXIT, false);
    }

    /** The method's own locals as TOP (the exit code never reads them), then the advice's. */
    private List<Object> exitLocals(boolean throwing) {
      List<Object> locals = new ArrayList<>(ownLocals + adviceLocals.size() + 1);
      for (int i = 0; i < ownLocals; i++) {
        locals.add(TOP);
      }
      locals.addAll(adviceLocals);
      if (returnedSlot >= 0) {
        if (throwing) {
          for (int i = 0; i < returned.getSize(); i++) {
            locals.add(TOP); // unset when the method throws; keeps thrownSlot's place
          }
        } else {
          locals.add(frameType(returned));
        }
      }
      return locals;
    }

    private Object[] startLocals() {
      return advice.exit ? withAdviceLocals(initialLocals, initialLocals.length, adviceLocals)
          : initialLocals;
    }

    /** {@code local} (frame entries, long/double one entry for two slots) padded to max_locals. */
    private Object[] withAdviceLocals(Object[] local, int numLocal, List<Object> extra) {
      List<Object> out = new ArrayList<>(ownLocals + extra.size());
      int slots = 0;
      for (int i = 0; i < numLocal; i++) {
        out.add(local[i]);
        slots += local[i] == LONG || local[i] == DOUBLE ? 2 : 1;
      }
      for (; slots < ownLocals; slots++) {
        out.add(TOP);
      }
      out.addAll(extra);
      return out.toArray();
    }

    private void frame(Object[] locals, Object... stack) {
      if (frames) {
        super.visitFrame(F_NEW, locals.length, locals, stack.length, stack);
      }
    }

    private void load(Advice.Value v) {
      switch (v.kind) {
        case Advice.SELF -> super.visitVarInsn(ALOAD, 0);
        case Advice.ARG -> super.visitVarInsn(ALOAD, slotOf(v.index));
        default -> super.visitInsn(ACONST_NULL);
      }
    }

    private void loadAtExit(Advice.Value v, int savedSlot, boolean throwing) {
      if (v.kind == Advice.RESULT && !throwing) {
        super.visitVarInsn(returned.getOpcode(ILOAD), returnedSlot);
        box(returned);
      } else if (savedSlot >= 0) {
        super.visitVarInsn(ALOAD, savedSlot);
      } else {
        super.visitInsn(ACONST_NULL);
      }
    }

    private void box(Type t) {
      String owner;
      switch (t.getSort()) {
        case Type.BOOLEAN -> owner = "java/lang/Boolean";
        case Type.BYTE -> owner = "java/lang/Byte";
        case Type.CHAR -> owner = "java/lang/Character";
        case Type.SHORT -> owner = "java/lang/Short";
        case Type.INT -> owner = "java/lang/Integer";
        case Type.LONG -> owner = "java/lang/Long";
        case Type.FLOAT -> owner = "java/lang/Float";
        case Type.DOUBLE -> owner = "java/lang/Double";
        default -> {
          return;
        }
      }
      super.visitMethodInsn(
          INVOKESTATIC, owner, "valueOf", "(" + t.getDescriptor() + ")L" + owner + ";", false);
    }

    private int slotOf(int argument) {
      int slot = isStatic ? 0 : 1;
      for (int i = 0; i < argument; i++) {
        slot += arguments[i].getSize();
      }
      return slot;
    }

    private void pushInt(int value) {
      if (value <= 5) {
        super.visitInsn(ICONST_0 + value);
      } else if (value <= Byte.MAX_VALUE) {
        super.visitIntInsn(BIPUSH, value);
      } else if (value <= Short.MAX_VALUE) {
        super.visitIntInsn(SIPUSH, value);
      } else {
        super.visitLdcInsn(value);
      }
    }

    private static Object frameType(Type t) {
      switch (t.getSort()) {
        case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> {
          return INTEGER;
        }
        case Type.FLOAT -> {
          return FLOAT;
        }
        case Type.LONG -> {
          return LONG;
        }
        case Type.DOUBLE -> {
          return DOUBLE;
        }
        case Type.ARRAY -> {
          return t.getDescriptor();
        }
        default -> {
          return t.getInternalName();
        }
      }
    }
  }
}
