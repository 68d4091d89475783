package org.certifier.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import org.certifier.proto.key_message;
import org.certifier.proto.signed_claim_message;
import org.certifier.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reference's key files (provisioning/) read and re-written byte for byte. */
class KeyMessagesVectorTest {
  private static key_message keyFile(String name) throws Exception {
    return key_message.parseFrom(TestVectors.reference("provisioning/" + name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"policy_key_file.datica-test", "platform_key_file.bin",
      "attest_key_file.bin"})
  void keyFileParsesToAMatchingRsaKeyPair(String file) throws Exception {
    key_message key = keyFile(file);

    KeyPair pair = KeyMessages.toKeyPair(key);

    RSAPublicKey pub = assertInstanceOf(RSAPublicKey.class, pair.getPublic());
    RSAPrivateCrtKey priv = assertInstanceOf(RSAPrivateCrtKey.class, pair.getPrivate());
    assertEquals(2048, pub.getModulus().bitLength());
    assertEquals(pub.getModulus(), priv.getModulus());
    assertEquals(KeyAlgorithm.RSA_2048, KeyAlgorithm.of(pub));
  }

  @ParameterizedTest
  @ValueSource(strings = {"policy_key_file.datica-test", "platform_key_file.bin",
      "attest_key_file.bin"})
  void keyFileIsReWrittenByteForByte(String file) throws Exception {
    key_message original = keyFile(file);

    key_message rewritten =
        KeyMessages.fromKeyPair(KeyMessages.toKeyPair(original), original.getKeyName());

    // Every rsa field is minimal big-endian in the file, so ours must be the same bytes.
    assertArrayEquals(original.getRsaKey().toByteArray(), rewritten.getRsaKey().toByteArray());
    key_message withCert = original.hasCertificate()
        ? rewritten.toBuilder().setCertificate(original.getCertificate()).build()
        : rewritten;
    assertArrayEquals(original.toByteArray(), withCert.toByteArray());
  }

  @Test
  void policyKeyIsTheKeyOfThePolicyCertificate() throws Exception {
    key_message policyKey = keyFile("policy_key_file.datica-test");
    byte[] certFile = TestVectors.reference("provisioning/policy_cert_file.datica-test");

    X509Certificate fromFile = Certificates.parseDer(certFile);
    X509Certificate embedded = Certificates.parseDer(policyKey.getCertificate().toByteArray());

    assertEquals(fromFile.getPublicKey(), KeyMessages.toPublicKey(policyKey));
    assertEquals(embedded.getPublicKey(), KeyMessages.toPublicKey(policyKey));
    assertArrayEquals(certFile, policyKey.getCertificate().toByteArray());
  }

  @Test
  void publicPartIsTheSigningKeyTheReferenceEmbedsInSignedClaims() throws Exception {
    key_message policyKey = keyFile("policy_key_file.datica-test");
    signed_claim_message claim = signed_claim_message.parseFrom(
        TestVectors.reference("provisioning/signed_claim_1.bin"));

    key_message pub = KeyMessages.publicPart(policyKey);

    // make_signed_claim also sets empty validity strings (§4.11); publicPart copies only what
    // is present, so those two are the only difference.
    assertEquals(claim.getSigningKey(),
        pub.toBuilder().setNotBefore("").setNotAfter("").build());
    assertEquals("rsa-2048-public", pub.getKeyType());
  }

  @Test
  void certificateBecomesAPublicKeyMessageNamedByItsCommonName() throws Exception {
    key_message policyKey = keyFile("policy_key_file.datica-test");
    byte[] der = TestVectors.reference("provisioning/policy_cert_file.datica-test");

    key_message fromCert = KeyMessages.fromCertificate(Certificates.parseDer(der));

    assertEquals("policyKey", fromCert.getKeyName());
    assertEquals("rsa-2048-public", fromCert.getKeyType());
    assertEquals(KeyMessages.KEY_FORMAT, fromCert.getKeyFormat());
    assertArrayEquals(der, fromCert.getCertificate().toByteArray());
    assertEquals(KeyMessages.publicPart(policyKey), fromCert);
  }

  @Test
  void attestationEndorsementNamesThePlatformAndAttestKeys() throws Exception {
    signed_claim_message endorsement = signed_claim_message.parseFrom(
        TestVectors.reference("provisioning/platform_attest_endorsement.bin"));

    assertEquals(KeyMessages.toPublicKey(keyFile("platform_key_file.bin")),
        KeyMessages.toPublicKey(endorsement.getSigningKey()));
  }
}
