package io.imagegate.jobs;

import io.imagegate.engine.Exchange;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The exchange a worker runs a job through: the answer goes into memory (then to the image store) instead of a
 * socket, and a cancel stands for a client that hung up: it interrupts the thread waiting on the upstream, which
 * stops the upstream call, exactly as a client that leaves a synchronous call does.
 */
final class JobExchange implements Exchange {
  private final Job job;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private Thread waiting;
  private int status;
  private boolean aborted;

  JobExchange(Job job) { this.job = job; }

  /** Cancels the job's call: if it waits on its upstream now, that call is stopped. */
  synchronized void cancel() {
    cancelled.set(true);
    if (waiting != null) waiting.interrupt();
  }

  /** Watching starts: a cancel from now on interrupts this thread. */
  private synchronized void startWaiting() {
    waiting = Thread.currentThread();
    if (cancelled.get()) waiting.interrupt(); // cancelled before the call began to wait
  }

  /** Watching ends: no cancel interrupts the thread any more (the answer's writing and its store). */
  private synchronized void stopWaiting() {
    waiting = null;
    Thread.interrupted();
  }

  boolean cancelled() { return cancelled.get(); }

  /** The status the engine opened the answer with; 0 when it wrote none. */
  int status() { return status; }

  /** Whether the answer broke off midway (the engine aborted it): it must not be kept. */
  boolean aborted() { return aborted; }

  byte[] body() { return body.toByteArray(); }

  @Override
  public String requestId() { return job.id(); }

  @Override
  public String path() { return "/v1/images/" + job.operation(); }

  @Override
  public String header(String name) { return null; }

  @Override
  public String baseUrl() { return job.baseUrl(); }

  @Override
  public double priceFactor() { return job.priceFactor(); }

  @Override
  public Watch watch() {
    startWaiting();
    return new Watch() {
      @Override
      public boolean clientGone() { return cancelled.get(); }

      @Override
      public void close() { stopWaiting(); }
    };
  }

  @Override
  public void header(String name, String value) {}

  @Override
  public OutputStream open(int status, String contentType) {
    this.status = status;
    return body;
  }

  @Override
  public void abort() { aborted = true; }
}
