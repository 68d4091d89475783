package org.certifier.service.tcp;

import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.certifier.evidence.Failure;
import org.certifier.proto.trust_request_message;
import org.certifier.proto.trust_response_message;
import org.certifier.protocol.Framing;
import org.certifier.protocol.FramingException;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;
import org.certifier.service.certify.Certifier;
import org.certifier.service.certify.Decision;

/**
 * The reference's workload-facing protocol (reference-certifier.md §2.1-2.2): plain TCP, one
 * framed {@code trust_request_message} in, one framed {@code trust_response_message} out, then
 * the service closes. Hardened where the Go service was not: every connection has a deadline
 * (a slow client is cut off), requests are size-capped, concurrency is bounded, and a malformed
 * request gets a "failed" answer with its reason code instead of killing the process.
 */
public final class CertifierTcpServer implements Closeable {
  private static final System.Logger LOG = System.getLogger("org.certifier.service");

  /** Limits of the workload-facing listener. */
  public record Limits(int maxRequestBytes, Duration connectionDeadline, int maxConnections) {
    /**
     * Ample for every platform's evidence (an SGX quote with its PCK chain is under 10 KiB), and
     * bounded together: at most 256 connections x 256 KiB = 64 MiB of request buffers.
     */
    public static Limits defaults() {
      return new Limits(256 * 1024, Duration.ofSeconds(10), 256);
    }
  }

  /** Receives each decision before its answer is sent: the issuance record and the log. */
  public interface DecisionListener {
    /**
     * @param request the request's bytes as received (the frame's payload); empty if no whole
     *     frame could be read
     * @throws IOException if the decision could not be recorded: the client then gets
     *     {@code internal-error} instead of the decision, so nothing leaves the service that
     *     is not on record
     */
    void decided(Decision decision, Optional<byte[]> request, Optional<InetAddress> requester)
        throws IOException;
  }

  /**
   * Watches the listener's traffic, for metrics. Called on the request path: implementations
   * must be cheap and never block (counters, not locks or I/O).
   */
  public interface Observer {
    /** A connection was accepted and is being served. */
    void connectionOpened();

    /** A served connection ended. */
    void connectionClosed();

    /** A connection was turned away because every slot was busy. */
    void connectionRefused();

    /**
     * A request was answered with {@code decision} (as recorded, so {@code internal-error} if
     * recording failed), {@code nanos} after the whole request had been read.
     */
    void answered(Decision decision, long nanos);

    /** The listener could not record a decision (the store failed). */
    void recordingFailed();

    /** Watches nothing. */
    Observer NONE = new Observer() {
      @Override
      public void connectionOpened() {}

      @Override
      public void connectionClosed() {}

      @Override
      public void connectionRefused() {}

      @Override
      public void answered(Decision decision, long nanos) {}

      @Override
      public void recordingFailed() {}
    };
  }

  private final Certifier certifier;
  private final Limits limits;
  private final DecisionListener listener;
  private final Observer observer;
  private final ServerSocket server;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore slots;
  private final AtomicLong refused = new AtomicLong();
  private final Thread acceptor;

  private CertifierTcpServer(Certifier certifier, Limits limits, DecisionListener listener,
      Observer observer, ServerSocket server) {
    this.certifier = certifier;
    this.limits = limits;
    this.listener = listener;
    this.observer = observer;
    this.server = server;
    this.slots = new Semaphore(limits.maxConnections());
    this.acceptor = Thread.ofPlatform().name("certifier-accept").daemon(false)
        .unstarted(this::acceptLoop);
  }

  /** Binds {@code host:port} (port 0 picks a free one) and starts serving. */
  public static CertifierTcpServer start(Certifier certifier, String host, int port,
      Limits limits, DecisionListener listener) throws IOException {
    return start(certifier, host, port, limits, listener, Observer.NONE);
  }

  /** As {@link #start(Certifier, String, int, Limits, DecisionListener)}, observed. */
  public static CertifierTcpServer start(Certifier certifier, String host, int port,
      Limits limits, DecisionListener listener, Observer observer) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 256);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    CertifierTcpServer server = new CertifierTcpServer(certifier, limits, listener, observer,
        socket);
    server.acceptor.start();
    return server;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Connections turned away because {@link Limits#maxConnections()} were busy. */
  public long refusedConnections() {
    return refused.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.log(Level.WARNING, "accept failed: {0}", e.getMessage());
        }
        continue;
      }
      if (!slots.tryAcquire()) {
        refused.incrementAndGet();
        observer.connectionRefused();
        closeQuietly(socket);
        continue;
      }
      try {
        workers.execute(() -> {
          try {
            handle(socket);
          } finally {
            slots.release();
          }
        });
      } catch (RuntimeException e) {
        slots.release();
        closeQuietly(socket);
      }
    }
  }

  private void handle(Socket socket) {
    observer.connectionOpened();
    Optional<InetAddress> requester = Optional.ofNullable(socket.getInetAddress());
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = new DeadlineInput(socket,
          System.nanoTime() + limits.connectionDeadline().toNanos());
      OutputStream out = socket.getOutputStream();
      trust_response_message response;
      try {
        response = answer(Framing.read(in, limits.maxRequestBytes()), requester);
      } catch (FramingException e) {
        long start = System.nanoTime();
        Decision rejected = new Decision.Rejected(Failure.MALFORMED_EVIDENCE, e.getMessage());
        response = respond(trust_request_message.getDefaultInstance(),
            recorded(rejected, Optional.empty(), requester, start));
      }
      Framing.write(out, response.toByteArray());
    } catch (EOFException | SocketTimeoutException e) {
      LOG.log(Level.DEBUG, "client {0} sent nothing in time", requester.orElse(null));
    } catch (SocketException e) {
      LOG.log(Level.DEBUG, "connection from {0} cut: {1}", requester.orElse(null),
          e.getMessage());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "connection from {0} failed: {1}", requester.orElse(null),
          e.getMessage());
    } finally {
      observer.connectionClosed();
    }
  }

  /**
   * The connection's input, each read allowed only the time left until the connection's
   * deadline: a client that sends slowly, byte by byte, is cut off at the deadline as surely
   * as one that stops. Only reads need it: the answer is one small write into an empty send
   * buffer, which does not wait for the client. (Replaces a timer task per connection, whose
   * scheduling and cancelling cost two thread wake-ups per request.)
   */
  private static final class DeadlineInput extends FilterInputStream {
    private final Socket socket;
    private final long deadlineNanos;

    DeadlineInput(Socket socket, long deadlineNanos) throws IOException {
      super(socket.getInputStream());
      this.socket = socket;
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    public int read() throws IOException {
      allowRemainingTime();
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      allowRemainingTime();
      return super.read(b, off, len);
    }

    private void allowRemainingTime() throws IOException {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("connection deadline passed");
      }
      // At least 1 ms: a timeout of 0 would mean none.
      socket.setSoTimeout((int) Math.clamp(TimeUnit.NANOSECONDS.toMillis(left), 1,
          Integer.MAX_VALUE));
    }
  }

  private trust_response_message answer(byte[] frame, Optional<InetAddress> requester) {
    long start = System.nanoTime();
    trust_request_message request;
    Decision decision;
    try {
      request = Messages.parse(trust_request_message.parser(), frame, "trust request");
      decision = certifier.certify(request, requester);
    } catch (MalformedMessageException e) {
      request = trust_request_message.getDefaultInstance();
      decision = new Decision.Rejected(Failure.MALFORMED_EVIDENCE, e.getMessage());
    }
    return respond(request, recorded(decision, Optional.of(frame), requester, start));
  }

  /**
   * The decision to answer with: {@code decision} once the listener has recorded it, otherwise
   * {@code internal-error} (itself recorded if the store allows), so that no certificate reaches
   * a client without being on record.
   */
  private Decision recorded(Decision decision, Optional<byte[]> request,
      Optional<InetAddress> requester, long start) {
    Decision answered = recorded(decision, request, requester);
    observer.answered(answered, System.nanoTime() - start);
    return answered;
  }

  private Decision recorded(Decision decision, Optional<byte[]> request,
      Optional<InetAddress> requester) {
    try {
      listener.decided(decision, request, requester);
      return decision;
    } catch (IOException | RuntimeException e) {
      observer.recordingFailed();
      LOG.log(Level.ERROR, "decision for {0} not recorded, answering internal-error: {1}",
          requester.orElse(null), e.getMessage());
      Optional<String> policy = switch (decision) {
        case Decision.Admitted a -> Optional.of(a.policySha256());
        case Decision.Rejected r -> r.policySha256();
      };
      Decision failed = new Decision.Rejected(Failure.INTERNAL_ERROR,
          "not recorded: " + e.getMessage(), policy);
      try {
        listener.decided(failed, request, requester);
      } catch (IOException | RuntimeException again) {
        LOG.log(Level.ERROR, "internal-error for {0} not recorded either: {1}",
            requester.orElse(null), again.getMessage());
      }
      return failed;
    }
  }

  private static trust_response_message respond(trust_request_message request,
      Decision decision) {
    trust_response_message.Builder response = trust_response_message.newBuilder()
        .setRequestingEnclaveTag(request.getRequestingEnclaveTag())
        .setProvidingEnclaveTag(request.getProvidingEnclaveTag());
    switch (decision) {
      case Decision.Admitted admitted -> response.setStatus("succeeded")
          .setArtifact(com.google.protobuf.ByteString.copyFrom(admitted.artifact()));
      // Only the fixed code leaves the service: details stay in the operator's log (§6).
      case Decision.Rejected rejected -> response.setStatus("failed")
          .setFailureCode(rejected.failure().code());
    }
    return response.build();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do with a socket we are abandoning
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(limits.connectionDeadline().toMillis() + 1000,
          TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
      acceptor.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
