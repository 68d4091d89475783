package org.certifier.testing.intel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.certifier.testing.intel.FakeIntelDcap.SgxQuoteBuilder;

/**
 * Gramine's {@code /dev/attestation} pseudo-files (Gramine documentation, "Attestation and
 * Secret Provisioning", the /dev/attestation interface) under a real directory, so that an
 * attester reading and writing files can be tested without SGX:
 *
 * <ul>
 *   <li>{@code <root>/dev/attestation/attestation_type}: {@code dcap} (or what the test
 *       chose);</li>
 *   <li>{@code user_report_data}: 64 bytes the enclave writes;</li>
 *   <li>{@code quote}: a named pipe; each time it is opened for reading, a fresh SGX quote of
 *       {@link FakeIntelDcap} is written into it, carrying the {@code user_report_data} written
 *       last as REPORT_DATA and whatever the test's enclave sets (MRENCLAVE, ...). As with
 *       Gramine, reading it is synchronous: the quote is made for the report data present at
 *       that moment. If {@code user_report_data} is not exactly 64 bytes, the quote is empty
 *       (Gramine refuses the write);</li>
 *   <li>{@code keys/_sgx_mrenclave}: the 16-byte MRENCLAVE-bound sealing key, made from the
 *       fake's seed (absent if the test asks so).</li>
 * </ul>
 *
 * <p>A named pipe is the simplest way a plain file read can be answered by code: it needs
 * {@code mkfifo} (Linux, macOS). {@link #close} stops the writer thread.
 */
public final class FakeGramineAttestation implements AutoCloseable {
  private final Path root;
  private final Path quote;
  private final Path userReportData;
  private final FakeIntelDcap dcap;
  private final Consumer<SgxQuoteBuilder> enclave;
  private final Thread writer;
  private final AtomicInteger quotesMade = new AtomicInteger();
  private volatile boolean closed;

  private FakeGramineAttestation(Path root, FakeIntelDcap dcap, Consumer<SgxQuoteBuilder> enclave,
      String attestationType, boolean sealingKey) throws IOException {
    this.root = root;
    this.dcap = dcap;
    this.enclave = enclave;
    Path device = Files.createDirectories(root.resolve("dev/attestation"));
    Files.writeString(device.resolve("attestation_type"), attestationType,
        StandardCharsets.US_ASCII);
    userReportData = Files.write(device.resolve("user_report_data"), new byte[64]);
    if (sealingKey) {
      Files.write(Files.createDirectories(device.resolve("keys")).resolve("_sgx_mrenclave"),
          dcap.filler("Gramine _sgx_mrenclave key", 16));
    }
    quote = device.resolve("quote");
    mkfifo(quote);
    writer = new Thread(this::serveQuotes, "fake-gramine-quote");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * A Gramine DCAP enclave of {@code dcap}'s platform under {@code root}, with a sealing key;
   * {@code enclave} fills in each quote (MRENCLAVE, attributes, ...).
   */
  public static FakeGramineAttestation start(Path root, FakeIntelDcap dcap,
      Consumer<SgxQuoteBuilder> enclave) throws IOException {
    return new FakeGramineAttestation(root, dcap, enclave, "dcap", true);
  }

  /**
   * The same with another {@code attestation_type} (Gramine writes {@code none} without SGX
   * remote attestation, {@code epid} for EPID) and with or without the sealing key.
   */
  public static FakeGramineAttestation start(Path root, FakeIntelDcap dcap,
      Consumer<SgxQuoteBuilder> enclave, String attestationType, boolean sealingKey)
      throws IOException {
    return new FakeGramineAttestation(root, dcap, enclave, attestationType, sealingKey);
  }

  /** The directory holding {@code dev/attestation}: the enclave's file-system root. */
  public Path root() {
    return root;
  }

  /** The sealing key Gramine would expose in {@code keys/_sgx_mrenclave}. */
  public byte[] sealingKey() {
    return dcap.filler("Gramine _sgx_mrenclave key", 16);
  }

  /** How many quotes were read. */
  public int quotesMade() {
    return quotesMade.get();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    // Opening a pipe for reading and writing never blocks, and releases a writer waiting in
    // open; whatever it then writes fits in the pipe's buffer and is discarded.
    try (FileChannel unblock = FileChannel.open(quote, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      writer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits for a reader, writes one quote, then puts a fresh pipe in place before closing this
   * one: the reader sees the end of its quote even if the next reader arrives at once, and
   * two quotes never run together.
   */
  private void serveQuotes() {
    int generation = 0;
    while (!closed) {
      try (OutputStream out = Files.newOutputStream(quote, StandardOpenOption.WRITE)) {
        if (closed) {
          return;
        }
        byte[] data = Files.readAllBytes(userReportData);
        if (data.length == 64) {
          SgxQuoteBuilder builder = dcap.sgxQuote();
          enclave.accept(builder);
          out.write(builder.reportData(data).signed());
          quotesMade.incrementAndGet();
        }
        Path next = quote.resolveSibling(".quote-" + ++generation);
        mkfifo(next);
        Files.move(next, quote, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        // The reader went away early (broken pipe): the next reader gets a fresh quote.
      }
    }
  }

  private static void mkfifo(Path path) throws IOException {
    Process process = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true)
        .start();
    try (InputStream output = process.getInputStream()) {
      String message = new String(output.readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IOException("mkfifo " + path + " failed: " + message.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making " + path, e);
    }
  }
}
