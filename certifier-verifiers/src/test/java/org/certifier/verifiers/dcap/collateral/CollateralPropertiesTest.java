package org.certifier.verifiers.dcap.collateral;

import static org.certifier.verifiers.dcap.collateral.DcapVectors.*;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.certifier.evidence.VerificationException;

/**
 * Hostile collateral: any mutation of the JSON, of the signed texts (re-signed, so the
 * schema readers see them) or of the whole pipeline's input is refused with a
 * {@link VerificationException} or accepted, never anything else.
 */
class CollateralPropertiesTest {
  private static final String JSON = DcapVectors.text(SGX_COLLATERAL);
  private static final String TDX_TCB_INFO = tdxTcbInfo();
  private static final FakeIntelPki PKI = fakePki();

  /** One edit: at an offset, delete some characters and insert others. */
  record Edit(int offset, int delete, String insert) {
    String apply(String text) {
      int at = Math.floorMod(offset, text.length() + 1);
      int end = Math.min(text.length(), at + delete);
      return text.substring(0, at) + insert + text.substring(end);
    }
  }

  @Property(tries = 300)
  void mutatedCollateralJsonIsRefusedCleanly(@ForAll @Size(min = 1, max = 4)
      List<@From("edits") Edit> edits) throws Exception {
    String json = JSON;
    for (Edit e : edits) {
      json = e.apply(json);
    }
    try {
      QuoteCollateral c = QuoteCollateral.fromJson(json);
      VerifiedCollateral v = new CollateralVerifier(intelRoot()).verify(c, JULY_2025);
      TcbEvaluator.evaluate(v, sgxPlatform(), sgxQe());
    } catch (VerificationException expected) {
      // refused cleanly
    }
  }

  @Property(tries = 300)
  void mutatedSignedTextsAreReadOrRefusedCleanly(@ForAll @Size(min = 1, max = 3)
      List<@From("edits") Edit> edits, @ForAll boolean mutateIdentity) throws Exception {
    QuoteCollateral real = collateral(SGX_COLLATERAL);
    String tcbInfo = real.tcbInfo();
    String qeIdentity = real.qeIdentity();
    for (Edit e : edits) {
      if (mutateIdentity) {
        qeIdentity = e.apply(qeIdentity);
      } else {
        tcbInfo = e.apply(tcbInfo);
      }
    }
    try {
      VerifiedCollateral v = new CollateralVerifier(PKI.root)
          .verify(PKI.collateral(tcbInfo, qeIdentity), JULY_2025);
      TcbEvaluator.evaluate(v, sgxPlatform(), sgxQe());
    } catch (VerificationException expected) {
      // refused cleanly
    }
  }

  @Property(tries = 300)
  void mutatedTdxTcbInfosAreReadOrRefusedCleanly(@ForAll @Size(min = 1, max = 3)
      List<@From("edits") Edit> edits) throws Exception {
    String text = TDX_TCB_INFO;
    for (Edit e : edits) {
      text = e.apply(text);
    }
    try {
      TcbEvaluator.evaluate(TcbInfo.parse(text),
          EnclaveIdentity.parse(collateral(PHALA_V4_COLLATERAL).qeIdentity()),
          phalaV4Platform(), tdQe(6));
    } catch (VerificationException expected) {
      // refused cleanly
    }
  }

  @Provide
  Arbitrary<Edit> edits() {
    Arbitrary<String> inserts = Arbitraries.oneOf(
        Arbitraries.of("", "\"", "{", "}", "[", "]", ",", ":", "0", "-1", "256", "\\", "\\u",
            "null", "\"x\":1,", "UpToDate", "Revoked", "TDX_02", "ff"),
        Arbitraries.strings().ofMaxLength(4));
    return Combinators.combine(Arbitraries.integers().between(0, 1 << 16),
        Arbitraries.integers().between(0, 8), inserts).as(Edit::new);
  }

  private static String tdxTcbInfo() {
    try {
      return collateral(PHALA_V4_COLLATERAL).tcbInfo();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static FakeIntelPki fakePki() {
    try {
      return new FakeIntelPki();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
