package org.certifier.service.issue;

import java.io.IOException;
import java.math.BigInteger;

/**
 * Hands out certificate serial numbers that are never repeated, across threads and restarts
 * (the reference used an unsynchronised in-memory counter restarting at 11, §7.3).
 */
public interface SerialNumbers {
  BigInteger next() throws IOException;
}
