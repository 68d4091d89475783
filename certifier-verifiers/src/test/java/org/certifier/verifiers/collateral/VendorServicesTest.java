package org.certifier.verifiers.collateral;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.OptionalInt;
import org.certifier.verifiers.collateral.CollateralKey.AmdCertChain;
import org.certifier.verifiers.collateral.CollateralKey.AmdCrl;
import org.certifier.verifiers.collateral.CollateralKey.AmdKeyKind;
import org.certifier.verifiers.collateral.CollateralKey.AmdVcek;
import org.certifier.verifiers.collateral.CollateralKey.IntelPckCrl;
import org.certifier.verifiers.collateral.CollateralKey.IntelQeIdentity;
import org.certifier.verifiers.collateral.CollateralKey.IntelRootCrl;
import org.certifier.verifiers.collateral.CollateralKey.IntelTcbInfo;
import org.certifier.verifiers.collateral.CollateralKey.IntelTee;
import org.certifier.verifiers.collateral.CollateralKey.PckCa;
import org.junit.jupiter.api.Test;

/** Each key becomes the vendor's URL (KDS spec 57230 chapter 4, Intel PCS API v4). */
class VendorServicesTest {
  private static final VendorServices PRODUCTION = new VendorServices(
      VendorServices.Endpoints.PRODUCTION, VendorServices.Limits.DEFAULT);
  private static final String HWID_64 = "3ac3fe21e13fb0990eb28a802e3fb6a29483a6b0753590c951bdd3b8"
      + "e53786184ca39e359669a2b76a1936776b564ea464cdce40c05f63c9b610c5068b006b5d";

  private static String url(CollateralKey key) {
    return PRODUCTION.uri(key).toString();
  }

  @Test
  void amdKeysNameKdsUrls() {
    assertEquals("https://kdsintf.amd.com/vcek/v1/Milan/" + HWID_64
        + "?blSPL=2&teeSPL=0&snpSPL=5&ucodeSPL=68",
        url(new AmdVcek("Milan", HWID_64.toUpperCase(), 2, 0, 5, 68, OptionalInt.empty())));
    assertEquals("https://kdsintf.amd.com/vcek/v1/Turin/1e550a8ee5cf9f4d"
        + "?blSPL=1&teeSPL=1&snpSPL=4&ucodeSPL=82&fmcSPL=1",
        url(new AmdVcek("Turin", "1e550a8ee5cf9f4d", 1, 1, 4, 82, OptionalInt.of(1))));
    assertEquals("https://kdsintf.amd.com/vcek/v1/Genoa/cert_chain",
        url(new AmdCertChain("Genoa", AmdKeyKind.VCEK)));
    assertEquals("https://kdsintf.amd.com/vlek/v1/Genoa/cert_chain",
        url(new AmdCertChain("Genoa", AmdKeyKind.VLEK)));
    assertEquals("https://kdsintf.amd.com/vcek/v1/Milan/crl",
        url(new AmdCrl("Milan", AmdKeyKind.VCEK)));
    assertEquals("https://kdsintf.amd.com/vlek/v1/Turin/crl",
        url(new AmdCrl("Turin", AmdKeyKind.VLEK)));
  }

  @Test
  void intelKeysNamePcsUrls() {
    String pcs = "https://api.trustedservices.intel.com";
    assertEquals(pcs + "/sgx/certification/v4/tcb?fmspc=00906ED50000",
        url(new IntelTcbInfo(IntelTee.SGX, "00906ed50000")));
    assertEquals(pcs + "/tdx/certification/v4/tcb?fmspc=00806F050000",
        url(new IntelTcbInfo(IntelTee.TDX, "00806F050000")));
    assertEquals(pcs + "/sgx/certification/v4/qe/identity",
        url(new IntelQeIdentity(IntelTee.SGX)));
    assertEquals(pcs + "/tdx/certification/v4/qe/identity",
        url(new IntelQeIdentity(IntelTee.TDX)));
    assertEquals(pcs + "/sgx/certification/v4/pckcrl?ca=processor&encoding=der",
        url(new IntelPckCrl(PckCa.PROCESSOR)));
    assertEquals(pcs + "/sgx/certification/v4/pckcrl?ca=platform&encoding=der",
        url(new IntelPckCrl(PckCa.PLATFORM)));
    assertEquals("https://certificates.trustedservices.intel.com/IntelSGXRootCA.der",
        url(new IntelRootCrl()));
  }

  @Test
  void aBaseUrlMayCarryAPathPrefix() {
    VendorServices proxy = new VendorServices(new VendorServices.Endpoints(
        URI.create("http://127.0.0.1:8081/amd/"), URI.create("http://127.0.0.1:8081/pccs"),
        URI.create("http://127.0.0.1:8081/root.crl")), VendorServices.Limits.DEFAULT);
    assertEquals("http://127.0.0.1:8081/amd/vcek/v1/Milan/crl",
        proxy.uri(new AmdCrl("Milan", AmdKeyKind.VCEK)).toString());
    assertEquals("http://127.0.0.1:8081/pccs/sgx/certification/v4/qe/identity",
        proxy.uri(new IntelQeIdentity(IntelTee.SGX)).toString());
  }
}
