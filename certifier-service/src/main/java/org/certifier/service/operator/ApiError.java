package org.certifier.service.operator;

/**
 * A request the API answers with an error: {@code status}, a fixed kebab-case {@code code} that
 * clients test, and a message for people. Thrown by endpoints, turned into
 * {@code {"error": code, "message": message}} by {@link OperatorApi}.
 */
public final class ApiError extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public ApiError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, "bad-request", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
