package org.certifier.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.certifier.protocol.Framing;

/**
 * The floor of the protocol itself: what one TCP connection per request costs a JVM on this
 * machine with no certification in it. It serves the reference's framing as the service does
 * (an accepting thread, a thread per connection, the request read whole, one framed answer
 * written, the connection closed) but answers every request with the same prepared response.
 * `benchmarks/run load --floor` drives it exactly as it drives the service, so the two CPU
 * figures compare directly. Loopback only; for measurement, not a server.
 *
 * <p>Usage: {@code TcpFloorServer RESPONSE_FILE} (a serialized {@code trust_response_message});
 * prints {@code listening on 127.0.0.1:PORT}.
 */
public final class TcpFloorServer {
  private TcpFloorServer() {}

  public static void main(String[] args) throws IOException {
    byte[] response = Files.readAllBytes(Path.of(args[0]));
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    // As the service: a virtual thread per connection.
    ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    System.out.println("listening on 127.0.0.1:" + server.getLocalPort());
    System.out.flush();
    while (true) {
      Socket socket = server.accept();
      workers.execute(() -> answer(socket, response));
    }
  }

  private static void answer(Socket socket, byte[] response) {
    try (socket) {
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      Framing.read(in, Framing.MAX_FRAME);
      Framing.write(out, response);
    } catch (IOException e) {
      // a client that went away: nothing to answer
    }
  }
}
