package io.picortex.sample;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * An exchange on which every method throws: whatever the agent reads from it fails. The handler
 * that receives it in {@code /api/broken} calls none of them.
 */
final class BrokenExchange extends HttpExchange {

  private static IllegalStateException broken(String method) {
    return new IllegalStateException("BrokenExchange." + method + " always fails");
  }

  @Override
  public Headers getRequestHeaders() {
    throw broken("getRequestHeaders");
  }

  @Override
  public Headers getResponseHeaders() {
    throw broken("getResponseHeaders");
  }

  @Override
  public URI getRequestURI() {
    throw broken("getRequestURI");
  }

  @Override
  public String getRequestMethod() {
    throw broken("getRequestMethod");
  }

  @Override
  public HttpContext getHttpContext() {
    throw broken("getHttpContext");
  }

  @Override
  public void close() {
    throw broken("close");
  }

  @Override
  public InputStream getRequestBody() {
    throw broken("getRequestBody");
  }

  @Override
  public OutputStream getResponseBody() {
    throw broken("getResponseBody");
  }

  @Override
  public void sendResponseHeaders(int rCode, long responseLength) {
    throw broken("sendResponseHeaders");
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    throw broken("getRemoteAddress");
  }

  @Override
  public int getResponseCode() {
    throw broken("getResponseCode");
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    throw broken("getLocalAddress");
  }

  @Override
  public String getProtocol() {
    throw broken("getProtocol");
  }

  @Override
  public Object getAttribute(String name) {
    throw broken("getAttribute");
  }

  @Override
  public void setAttribute(String name, Object value) {
    throw broken("setAttribute");
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    throw broken("setStreams");
  }

  @Override
  public HttpPrincipal getPrincipal() {
    throw broken("getPrincipal");
  }
}
