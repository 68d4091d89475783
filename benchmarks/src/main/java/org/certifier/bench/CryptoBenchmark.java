package org.certifier.bench;

import java.security.KeyPair;
import java.util.concurrent.TimeUnit;
import org.certifier.crypto.AuthenticatedEncryption;
import org.certifier.crypto.CryptoProviders;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.crypto.Signatures;
import org.certifier.crypto.SymmetricAlgorithm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Signing and verification under each reference label, and sealing-format encryption. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CryptoBenchmark {
  @Param({"rsa-2048-sha256-pkcs-sign", "rsa-3072-sha384-pkcs-sign", "rsa-4096-sha384-pkcs-sign",
      "ecc-256-sha256-pkcs-sign", "ecc-384-sha384-pkcs-sign"})
  String label;

  @Param({"aes-256-cbc-hmac-sha256", "aes-256-gcm"})
  String symmetric;

  /** The JCA provider: the native one where it loads (the default), or the JDK's. */
  @Param({"auto", "jdk"})
  String crypto;

  private KeyPair key;
  private byte[] data;
  private byte[] signature;
  private SymmetricAlgorithm algorithm;
  private byte[] symmetricKey;
  private byte[] ciphertext;

  @Setup
  public void setUp() throws Exception {
    System.setProperty("certifier.crypto", crypto);
    CryptoProviders.install();
    KeyAlgorithm alg = switch (label.substring(0, 8)) {
      case "rsa-2048" -> KeyAlgorithm.RSA_2048;
      case "rsa-3072" -> KeyAlgorithm.RSA_3072;
      case "rsa-4096" -> KeyAlgorithm.RSA_4096;
      case "ecc-256-" -> KeyAlgorithm.ECC_256;
      default -> KeyAlgorithm.ECC_384;
    };
    key = KeyMessages.generate(alg, Randomness.secureRandom());
    data = new byte[1024];
    Randomness.secureRandom().nextBytes(data);
    signature = Signatures.sign(label, key.getPrivate(), data);
    algorithm = SymmetricAlgorithm.fromLabel(symmetric);
    symmetricKey = new byte[algorithm.keySize()];
    Randomness.secureRandom().nextBytes(symmetricKey);
    ciphertext = AuthenticatedEncryption.encrypt(algorithm, symmetricKey, data,
        Randomness.secureRandom());
  }

  @Benchmark
  public byte[] sign() throws Exception {
    return Signatures.sign(label, key.getPrivate(), data);
  }

  @Benchmark
  public boolean verify() throws Exception {
    return Signatures.verify(label, key.getPublic(), data, signature);
  }

  @Benchmark
  public byte[] seal1KiB() throws Exception {
    return AuthenticatedEncryption.encrypt(algorithm, symmetricKey, data,
        Randomness.secureRandom());
  }

  @Benchmark
  public byte[] unseal1KiB() throws Exception {
    return AuthenticatedEncryption.decrypt(algorithm, symmetricKey, ciphertext);
  }
}
