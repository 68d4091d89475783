package org.certifier.service.operator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The operator API's log lines while a test runs (System.Logger goes to java.util.logging). */
final class LogCapture implements AutoCloseable {
  private final Logger logger = Logger.getLogger("org.certifier.service.operator");
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    private final SimpleFormatter formatter = new SimpleFormatter();

    @Override
    public void publish(LogRecord r) {
      lines.add(formatter.formatMessage(r));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  LogCapture() {
    logger.addHandler(handler);
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
