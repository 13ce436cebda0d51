package io.picortex.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceNameTest {
  @Test
  void jarNameWithoutVersionIsTheServiceName() {
    assertThat(ServiceName.derive("/srv/orders-1.4.2.jar --port 80")).isEqualTo("orders");
    assertThat(ServiceName.derive("build/libs/billing-service-2.0.0-SNAPSHOT.jar"))
        .isEqualTo("billing-service");
    assertThat(ServiceName.derive("app.jar")).isEqualTo("app");
  }

  @Test
  void mainClassBecomesKebabCase() {
    assertThat(ServiceName.derive("io.acme.OrderService arg")).isEqualTo("order-service");
    assertThat(ServiceName.derive("Main")).isEqualTo("main");
  }

  @Test
  void neverUnknownService() {
    assertThat(ServiceName.derive(null)).isEqualTo("java-service");
    assertThat(ServiceName.derive("  ")).isEqualTo("java-service");
  }
}
