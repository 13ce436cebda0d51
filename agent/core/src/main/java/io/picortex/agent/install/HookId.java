package io.picortex.agent.install;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the advice parameter that receives the hook number. The installer binds it to a constant
 * when it weaves the advice, so the woven code carries no reference to this annotation or to any
 * agent class other than {@code java.lang.PicortexBridge}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface HookId {}
