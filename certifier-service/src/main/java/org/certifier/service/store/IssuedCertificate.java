package org.certifier.service.store;

import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * An admission certificate as the issuance log keeps it: the DER exactly as sent, plus the
 * fields operators look certificates up by.
 *
 * @param subjectKeySha256 SHA-256 of the subject's SubjectPublicKeyInfo (DER), lowercase hex
 * @param issuedAt the certificate's notBefore
 */
public record IssuedCertificate(BigInteger serial, byte[] certificate, String measurement,
    String subjectKeySha256, Optional<String> requester, String purpose, String policySha256,
    Instant issuedAt, Instant notAfter) {

  public IssuedCertificate {
    Hex.requireSerial(serial);
    certificate = certificate.clone();
    Hex.require(measurement, "measurement");
    Hex.requireSha256(subjectKeySha256, "subject key digest");
    Hex.requireSha256(policySha256, "policy digest");
    if (purpose.isBlank()) {
      throw new IllegalArgumentException("an issued certificate has a purpose");
    }
  }

  /** The record of {@code cert}, as issued for {@code measurement} under a policy. */
  public static IssuedCertificate of(X509Certificate cert, String measurement,
      Optional<String> requester, String purpose, String policySha256)
      throws CertificateEncodingException {
    return new IssuedCertificate(cert.getSerialNumber(), cert.getEncoded(), measurement,
        Hex.sha256(cert.getPublicKey().getEncoded()), requester, purpose, policySha256,
        cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
  }

  /**
   * The record of a certificate just written by this service, from the terms it wrote into it
   * ({@code subjectPublicKeyInfo} is the subject key's DER), without parsing it back.
   */
  public static IssuedCertificate of(BigInteger serial, byte[] certificate,
      byte[] subjectPublicKeyInfo, Instant notBefore, Instant notAfter, String measurement,
      Optional<String> requester, String purpose, String policySha256) {
    return new IssuedCertificate(serial, certificate, measurement,
        Hex.sha256(subjectPublicKeyInfo), requester, purpose, policySha256, notBefore, notAfter);
  }

  @Override
  public byte[] certificate() {
    return certificate.clone();
  }

  /** Equal when every field is, the certificate compared byte by byte. */
  @Override
  public boolean equals(Object o) {
    return o instanceof IssuedCertificate other && serial.equals(other.serial)
        && java.util.Arrays.equals(certificate, other.certificate)
        && measurement.equals(other.measurement)
        && subjectKeySha256.equals(other.subjectKeySha256) && requester.equals(other.requester)
        && purpose.equals(other.purpose) && policySha256.equals(other.policySha256)
        && issuedAt.equals(other.issuedAt) && notAfter.equals(other.notAfter);
  }

  @Override
  public int hashCode() {
    return serial.hashCode() * 31 + java.util.Arrays.hashCode(certificate);
  }

  @Override
  public String toString() {
    return "IssuedCertificate[serial " + serial + ", Measured-" + measurement + ", issued "
        + issuedAt + "]";
  }
}
