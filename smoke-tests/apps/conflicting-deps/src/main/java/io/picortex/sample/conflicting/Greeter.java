package io.picortex.sample.conflicting;

/** The type the app subclasses with its own ByteBuddy at start-up. */
public class Greeter {
  public String greet() {
    return "hello from Greeter";
  }
}
