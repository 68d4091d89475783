package org.certifier.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import org.certifier.evidence.VerificationException;
import org.certifier.protocol.MalformedMessageException;

/**
 * Runs the body of a command and maps its checked failures to one line on stderr and the exit
 * code of {@link ExitCodes}: unreadable files are I/O errors, files that do not parse or keys
 * that do not fit are bad input. No stack trace reaches the user for either.
 */
public final class Guard {
  /** A command body; it may fail with any of the checked errors of the libraries it uses. */
  @FunctionalInterface
  public interface Body {
    void run() throws IOException, GeneralSecurityException, MalformedMessageException,
        VerificationException, InputException;
  }

  private Guard() {}

  public static void run(Body body) {
    try {
      body.run();
    } catch (NoSuchFileException e) {
      throw new CommandFailure(ExitCodes.IO, "no such file: " + e.getFile(), e);
    } catch (AccessDeniedException e) {
      throw new CommandFailure(ExitCodes.IO, "permission denied: " + e.getFile(), e);
    } catch (IOException e) {
      throw new CommandFailure(ExitCodes.IO, String.valueOf(e.getMessage()), e);
    } catch (GeneralSecurityException | MalformedMessageException | VerificationException
        | InputException e) {
      throw new CommandFailure(ExitCodes.BAD_INPUT, String.valueOf(e.getMessage()), e);
    }
  }
}
