package io.picortex.agent.handler;

/** The one handler per kind of operation that instrumentations hand their plain values to. */
public record Handlers(
    HttpServerHandler httpServer,
    HttpClientHandler httpClient,
    DbHandler db,
    ProcessHandler process) {

  public static Handlers create(Tracing tracing) {
    return new Handlers(
        new HttpServerHandler(tracing),
        new HttpClientHandler(tracing),
        new DbHandler(tracing),
        new ProcessHandler(tracing));
  }
}
