package io.picortex.agent.install;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Methods of the shapes the weaver meets in real classes: several returns, loops and switches
 * (stack map frames), the method's own try/catch/finally, long and double slots, static and
 * synchronized methods, primitive and reference results, lambdas. Woven copies of this class are
 * defined in a fresh loader, so the JVM's verifier checks every frame the weaver wrote.
 */
public class Fixture {
  private long counter;

  public String greet(String name) {
    return "hello " + name;
  }

  public int classify(int n, String label) {
    if (n < 0) {
      return -1;
    }
    switch (n) {
      case 0:
        return 0;
      case 1:
      case 2:
        return label.length();
      default:
        int sum = 0;
        for (int i = 0; i < n; i++) {
          sum += i;
        }
        return sum;
    }
  }

  public static double mix(long a, double b, String tag, int[] extra) {
    double total = a * b;
    long more = 0;
    for (int x : extra) {
      more += x;
    }
    return tag == null ? total : total + more + tag.length();
  }

  public String fail(String message) throws IOException {
    if (message.isEmpty()) {
      return "empty";
    }
    throw new IOException(message);
  }

  /** Its own catch must still catch what its body throws: the weaver's handler comes last. */
  public String catchesItsOwn(String message) {
    try {
      Integer.parseInt(message);
      return "number";
    } catch (NumberFormatException e) {
      return "caught " + message;
    } finally {
      counter++;
    }
  }

  public synchronized long count(long by) {
    counter += by;
    return counter;
  }

  public void run(Runnable task) {
    task.run();
  }

  public List<String> collect(String prefix, Callable<String> next) throws Exception {
    List<String> out = new ArrayList<>();
    while (out.size() < 3) {
      String v = next.call();
      out.add(prefix + v);
    }
    out.removeIf(s -> s.endsWith("skip"));
    return out;
  }

  public String maybe(boolean track, String value) {
    return track ? "tracked " + value : value;
  }

  public Object self() {
    return this;
  }
}
