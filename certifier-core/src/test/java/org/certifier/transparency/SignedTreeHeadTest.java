package org.certifier.transparency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.time.Instant;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.certifier.crypto.KeyAlgorithm;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Signing, the fixed signed layout, the text form, and what a verifier refuses. */
class SignedTreeHeadTest {
  private static final Instant AT = Instant.parse("2026-11-22T12:00:00.250Z");
  private static final byte[] ROOT = HexFormat.of().parseHex(
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  private static KeyPair rsa;
  private static KeyPair other;

  @BeforeAll
  static void keys() throws Exception {
    rsa = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
    other = KeyMessages.generate(KeyAlgorithm.RSA_2048, Randomness.secureRandom());
  }

  private static SignedTreeHead head(KeyPair key) throws Exception {
    return SignedTreeHead.sign(8, AT, ROOT, key.getPublic(), key.getPrivate());
  }

  @ParameterizedTest
  @EnumSource(value = KeyAlgorithm.class, names = {"RSA_2048", "ECC_256", "ECC_384"})
  void aHeadSignedWithAPolicyKeyVerifiesUnderIt(KeyAlgorithm algorithm) throws Exception {
    KeyPair key = KeyMessages.generate(algorithm, Randomness.secureRandom());
    SignedTreeHead head = head(key);
    head.verify(key.getPublic());
    SignedTreeHead read = SignedTreeHead.parse(head.toText(), "test");
    assertEquals(head, read);
    read.verify(key.getPublic());
  }

  @Test
  void theSignedBytesAreTheDocumentedLayout() throws Exception {
    byte[] tbs = head(rsa).signedBytes();
    assertEquals(106, tbs.length);
    assertEquals("CertifierAuditTreeHead/v1\0", new String(tbs, 0, 26,
        java.nio.charset.StandardCharsets.US_ASCII));
    assertArrayEquals(SignedTreeHead.logId(rsa.getPublic()),
        java.util.Arrays.copyOfRange(tbs, 26, 58));
    assertEquals("0000000000000008" + "000001a20320a2fa",
        HexFormat.of().formatHex(tbs, 58, 74), "size 8, then 2026-11-22T12:00:00.250Z in ms");
    assertArrayEquals(ROOT, java.util.Arrays.copyOfRange(tbs, 74, 106));
  }

  @Test
  void aHeadOfAnotherLogOrWithAnotherSignatureIsRefused() throws Exception {
    SignedTreeHead head = head(rsa);
    assertFails(LogFailure.WRONG_LOG, head, other);
    SignedTreeHead forged = new SignedTreeHead(SignedTreeHead.logId(rsa.getPublic()), 8, AT,
        ROOT, head.signatureAlgorithm(), head(other).signature());
    assertFails(LogFailure.BAD_SIGNATURE, forged, rsa);
    SignedTreeHead otherRoot = new SignedTreeHead(head.logId(), 8, AT,
        MerkleHash.emptyRoot(), head.signatureAlgorithm(), head.signature());
    assertFails(LogFailure.BAD_SIGNATURE, otherRoot, rsa);
    SignedTreeHead relabelled = new SignedTreeHead(head.logId(), 8, AT, ROOT,
        "rsa-3072-sha384-pkcs-sign", head.signature());
    assertFails(LogFailure.WRONG_ALGORITHM, relabelled, rsa);
  }

  @Test
  void malformedFilesAreRefusedAsMalformed() throws Exception {
    String text = head(rsa).toText();
    for (String bad : new String[] {
        "", text.substring(0, text.length() - 1), text.replace("v1", "v2"),
        text + "extra 1\n", text.replace("tree-size 8", "tree-size 08"),
        text.replace("tree-size 8", "tree-size -8"),
        text.replace("tree-size 8", "tree-size 99999999999999999999"),
        text.replace("00.250Z", "00.25Z"), text.replace("\n", "\r\n"),
        text.replace("root-hash 5d", "root-hash 5D"), text.replace("root-hash 5d", "root-hash "),
        text.replace("log-id ", "log-id 00"), text.replace("\nsignature ", "\nsignature 0"),
        text.replace("signature-algorithm", "algorithm")}) {
      assertEquals(LogFailure.MALFORMED, assertThrows(LogVerificationException.class,
          () -> SignedTreeHead.parse(bad, "test"), bad).failure());
    }
  }

  /** Any one changed character either breaks the parse or the signature: never a valid head. */
  @Property(tries = 300)
  void aMutatedFileNeverVerifies(@ForAll @IntRange(min = 0, max = 2000) int position,
      @ForAll @IntRange(min = 1, max = 127) int replacement) throws Exception {
    String text = head(rsa).toText();
    int at = position % text.length();
    if (text.charAt(at) == replacement) {
      return;
    }
    String mutated = text.substring(0, at) + (char) replacement + text.substring(at + 1);
    LogVerificationException e = assertThrows(LogVerificationException.class,
        () -> SignedTreeHead.parse(mutated, "test").verify(rsa.getPublic()));
    assertEquals(true, e.failure() == LogFailure.MALFORMED || e.failure() == LogFailure.WRONG_LOG
        || e.failure() == LogFailure.WRONG_ALGORITHM || e.failure() == LogFailure.BAD_SIGNATURE,
        e.toString());
  }

  private static void assertFails(LogFailure expected, SignedTreeHead head, KeyPair key) {
    assertEquals(expected, assertThrows(LogVerificationException.class,
        () -> head.verify(key.getPublic())).failure());
  }
}
