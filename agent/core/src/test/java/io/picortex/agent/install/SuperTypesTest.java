package io.picortex.agent.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import net.bytebuddy.jar.asm.ClassReader;
import org.junit.jupiter.api.Test;

class SuperTypesTest {

  /** Implements java.sql.Statement only through a JDK interface, two levels up. */
  abstract static class DriverStatement implements PreparedStatement {}

  abstract static class PooledDriverStatement extends DriverStatement {}

  private final SuperTypes superTypes = new SuperTypes();

  @Test
  void aSupertypeIsFoundThroughSuperclassesAndJdkInterfacesFromClassFilesAlone()
      throws Exception {
    ClassReader header =
        new ClassReader(AdviceWeaverTest.classBytes(PooledDriverStatement.class));
    ClassLoader loader = getClass().getClassLoader();
    assertThat(superTypes.isSubtype(loader, header, "java/sql/Statement")).isTrue();
    assertThat(superTypes.isSubtype(loader, header, "java/sql/PreparedStatement")).isTrue();
    assertThat(superTypes.isSubtype(loader, header, "java/sql/Connection")).isFalse();
    // asked again: answered from the cache, the same
    assertThat(superTypes.isSubtype(loader, header, "java/sql/Statement")).isTrue();
  }

  @Test
  void supertypesTheLoaderCannotReadMeanNoMatchNotAFailure() throws Exception {
    ClassReader header =
        new ClassReader(AdviceWeaverTest.classBytes(PooledDriverStatement.class));
    ClassLoader empty = new ClassLoader(null) {};
    // the superclass is not visible to this loader; the JDK part of the chain is never reached
    assertThat(superTypes.isSubtype(empty, header, "java/sql/Statement")).isFalse();
  }
}
