package org.certifier.crypto;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.KeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.certifier.proto.ecc_message;
import org.certifier.proto.key_message;
import org.certifier.proto.point_message;
import org.certifier.proto.rsa_message;

/**
 * Converts between the reference's universal key container, {@code key_message} (§1.3), and JCA
 * keys. Writing follows the C++ encoding exactly (§1.5); reading validates strictly and fails
 * closed, because key_messages arrive from files and from the network.
 */
public final class KeyMessages {
  /** The key_format of every key this class writes (§1.3). */
  public static final String KEY_FORMAT = "vse-key";
  // §1.5: the C++ ECC_to_key overwrites the format with "vse_key" (a bug), so C++ ECC keys carry
  // it; we read it but never write it. Go-made keys carry no key_format at all.
  private static final String CPP_ECC_KEY_FORMAT = "vse_key";
  private static final byte[] CONSISTENCY_PROBE =
      "key_message pairwise consistency".getBytes(StandardCharsets.US_ASCII);

  private KeyMessages() {}

  /** The private key_message of a key pair, as the C++ reference writes it. */
  public static key_message fromKeyPair(KeyPair keyPair, String keyName) throws CryptoException {
    Objects.requireNonNull(keyPair, "keyPair");
    Objects.requireNonNull(keyName, "keyName");
    KeyAlgorithm alg = KeyAlgorithm.of(keyPair.getPublic());
    PrivateKey priv = keyPair.getPrivate();
    key_message.Builder key = publicKeyMessage(keyPair.getPublic())
        .setKeyName(keyName)
        .setKeyType(alg.privateKeyType());
    if (alg.isRsa()) {
      if (!(priv instanceof RSAPrivateKey rsaPriv)
          || !rsaPriv.getModulus().equals(Unsigned.fromBytes(key.getRsaKey().getPublicModulus()))) {
        throw new CryptoException("private key does not belong to the RSA public key");
      }
      rsa_message.Builder rsa = key.getRsaKeyBuilder()
          .setPrivateExponent(Unsigned.toByteString(rsaPriv.getPrivateExponent()));
      if (rsaPriv instanceof RSAPrivateCrtKey crt) {
        rsa.setPrivateP(Unsigned.toByteString(crt.getPrimeP()))
            .setPrivateQ(Unsigned.toByteString(crt.getPrimeQ()))
            .setPrivateDp(Unsigned.toByteString(crt.getPrimeExponentP()))
            .setPrivateDq(Unsigned.toByteString(crt.getPrimeExponentQ()))
            .setPrivateIqmp(Unsigned.toByteString(crt.getCrtCoefficient()));
      }
    } else {
      if (!(priv instanceof ECPrivateKey ecPriv) || KeyAlgorithm.of(ecPriv) != alg) {
        throw new CryptoException("private key is not on the curve of the EC public key");
      }
      key.getEccKeyBuilder().setPrivateMultiplier(Unsigned.toByteString(ecPriv.getS()));
    }
    return key.build();
  }

  /** The public key_message of a JCA public key. */
  public static key_message fromPublicKey(PublicKey publicKey, String keyName)
      throws CryptoException {
    Objects.requireNonNull(keyName, "keyName");
    return publicKeyMessage(publicKey).setKeyName(keyName).build();
  }

  /**
   * The public key_message of a certificate's subject key, carrying the certificate: key_name
   * is the subject CN (absent when there is none), certificate the DER encoding.
   */
  public static key_message fromCertificate(X509Certificate cert) throws CryptoException {
    Objects.requireNonNull(cert, "cert");
    key_message.Builder key = publicKeyMessage(cert.getPublicKey());
    Certificates.subjectAttribute(cert, "CN").ifPresent(key::setKeyName);
    try {
      return key.setCertificate(ByteString.copyFrom(cert.getEncoded())).build();
    } catch (CertificateEncodingException e) {
      throw new CryptoException("cannot encode certificate", e);
    }
  }

  /**
   * The public key exactly as the reference's {@code private_key_to_public_key} writes it, which
   * its utilities embed in statements and signed claims (§4.11, §5.1): {@link #publicPart} with
   * the format, certificate, not_before and not_after always present, copied from the key or
   * empty. Those empty fields are visible in the serialization, so writing them keeps clause and
   * claim files byte-identical to the C++ utilities'.
   */
  public static key_message referencePublicKey(key_message key) throws CryptoException {
    return publicPart(key).toBuilder()
        .setKeyFormat(key.getKeyFormat())
        .setCertificate(key.getCertificate())
        .setNotBefore(key.getNotBefore())
        .setNotAfter(key.getNotAfter())
        .build();
  }

  /**
   * The public version of a private or public key_message: the same name, format, certificate
   * and validity strings (where present), the public key fields as carried, type
   * {@code -public}. The input is validated first, so a malformed key is never passed on.
   */
  public static key_message publicPart(key_message key) throws CryptoException {
    KeyAlgorithm alg = algorithmOf(key);
    toPublicKey(key);
    key_message.Builder pub = key_message.newBuilder().setKeyType(alg.publicKeyType());
    if (key.hasKeyName()) {
      pub.setKeyName(key.getKeyName());
    }
    if (key.hasKeyFormat()) {
      pub.setKeyFormat(key.getKeyFormat());
    }
    if (alg.isRsa()) {
      pub.setRsaKey(rsa_message.newBuilder()
          .setPublicModulus(key.getRsaKey().getPublicModulus())
          .setPublicExponent(key.getRsaKey().getPublicExponent()));
    } else {
      pub.setEccKey(key.getEccKey().toBuilder().clearPrivateMultiplier());
    }
    if (key.hasCertificate()) {
      pub.setCertificate(key.getCertificate());
    }
    if (key.hasNotBefore()) {
      pub.setNotBefore(key.getNotBefore());
    }
    if (key.hasNotAfter()) {
      pub.setNotAfter(key.getNotAfter());
    }
    return pub.build();
  }

  /** The JCA public key of a private or public key_message. */
  public static PublicKey toPublicKey(key_message key) throws CryptoException {
    KeyAlgorithm alg = algorithmOf(key);
    boolean isPrivate = KeyAlgorithm.isPrivateKeyType(key.getKeyType());
    if (alg.isRsa()) {
      rsa_message rsa = key.getRsaKey();
      if (!isPrivate && hasRsaPrivateField(rsa)) {
        throw new CryptoException("public RSA key_message carries private fields");
      }
      List<Object> material = List.of(alg, rsa);
      PublicKey known = isPrivate ? null : RECENT_PUBLIC_KEYS.get(material);
      return known != null ? known
          : remember(isPrivate, material, generatePublic("RSA", rsaPublicSpec(alg, rsa)));
    }
    ecc_message ecc = key.getEccKey();
    if (!isPrivate && ecc.hasPrivateMultiplier()) {
      throw new CryptoException("public ECC key_message carries a private multiplier");
    }
    List<Object> material = List.of(alg, ecc);
    PublicKey known = isPrivate ? null : RECENT_PUBLIC_KEYS.get(material);
    return known != null ? known : remember(isPrivate, material,
        generatePublic("EC", new ECPublicKeySpec(eccPublicPoint(alg, ecc), alg.ecParameters())));
  }

  /**
   * Public keys converted lately, by the algorithm and the whole public key message they were
   * made from (every field the checks read, so a cached key can never skip a check): the same
   * platform and policy keys come with every certification, and building a provider key object
   * each time showed in the service's profile. Only public key messages that passed every check
   * are kept (never private material); the map is bounded by clearing it when full.
   */
  private static final Map<List<Object>, PublicKey> RECENT_PUBLIC_KEYS =
      new ConcurrentHashMap<>();
  private static final int RECENT_PUBLIC_KEYS_MAX = 1024;

  private static PublicKey remember(boolean isPrivate, List<Object> material, PublicKey key) {
    if (isPrivate) {
      return key;
    }
    if (RECENT_PUBLIC_KEYS.size() >= RECENT_PUBLIC_KEYS_MAX) {
      RECENT_PUBLIC_KEYS.clear();
    }
    RECENT_PUBLIC_KEYS.put(material, key);
    return key;
  }

  /**
   * The JCA private key of a private key_message: RSA with CRT parameters when all of them are
   * present, otherwise from n and d; ECC from the private multiplier.
   */
  public static PrivateKey toPrivateKey(key_message key) throws CryptoException {
    KeyAlgorithm alg = algorithmOf(key);
    if (!KeyAlgorithm.isPrivateKeyType(key.getKeyType())) {
      throw new CryptoException("key_message " + KeyAlgorithm.quote(key.getKeyType())
          + " holds no private key");
    }
    if (alg.isRsa()) {
      return generatePrivate("RSA", rsaPrivateSpec(alg, key.getRsaKey()));
    }
    ecc_message ecc = key.getEccKey();
    eccPublicPoint(alg, ecc); // the curve description must be valid for the private key too
    if (!ecc.hasPrivateMultiplier()) {
      throw new CryptoException("ECC key_message lacks private_multiplier");
    }
    BigInteger s = Unsigned.fromBytes(ecc.getPrivateMultiplier());
    if (s.signum() <= 0 || s.compareTo(alg.ecParameters().getOrder()) >= 0) {
      throw new CryptoException("ECC private multiplier out of range");
    }
    return generatePrivate("EC", new ECPrivateKeySpec(s, alg.ecParameters()));
  }

  /**
   * Both halves of a private key_message, checked to belong together by signing and verifying
   * a probe, since nothing else ties an ECC multiplier (or a bare RSA exponent) to its public
   * key.
   */
  public static KeyPair toKeyPair(key_message key) throws CryptoException {
    PublicKey pub = toPublicKey(key);
    PrivateKey priv = toPrivateKey(key);
    String label = Signatures.defaultLabel(pub);
    byte[] signature = Signatures.sign(label, priv, CONSISTENCY_PROBE);
    if (!Signatures.verify(label, pub, CONSISTENCY_PROBE, signature)) {
      throw new CryptoException("private and public key of the key_message do not match");
    }
    return new KeyPair(pub, priv);
  }

  /** A fresh key pair; RSA keys use the public exponent 65537 like the reference. */
  public static KeyPair generate(KeyAlgorithm alg, SecureRandom random) throws CryptoException {
    Objects.requireNonNull(alg, "alg");
    Objects.requireNonNull(random, "random");
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(alg.isRsa() ? "RSA" : "EC");
      generator.initialize(alg.isRsa()
          ? new RSAKeyGenParameterSpec(alg.bits(), RSAKeyGenParameterSpec.F4)
          : alg.ecParameters(), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot generate " + alg.label() + " key", e);
    }
  }

  /** A symmetric key_message (§4.5.2 "protect-key", "app-symmetric-key"). */
  public static key_message symmetricKey(SymmetricAlgorithm alg, byte[] bits, String keyName)
      throws CryptoException {
    Objects.requireNonNull(alg, "alg");
    Objects.requireNonNull(bits, "bits");
    Objects.requireNonNull(keyName, "keyName");
    checkSymmetricLength(alg, bits.length);
    return key_message.newBuilder()
        .setKeyName(keyName)
        .setKeyType(alg.label())
        .setKeyFormat(KEY_FORMAT)
        .setSecretKeyBits(ByteString.copyFrom(bits))
        .build();
  }

  /**
   * The secret bits of a symmetric key_message, which must be of type {@code alg} and carry
   * exactly {@code alg.keySize()} bytes.
   */
  public static byte[] symmetricKeyBits(key_message key, SymmetricAlgorithm alg)
      throws CryptoException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(alg, "alg");
    if (!alg.label().equals(key.getKeyType())) {
      throw new CryptoException("expected a " + alg.label() + " key, got "
          + KeyAlgorithm.quote(key.getKeyType()));
    }
    if (key.hasKeyFormat() && !KEY_FORMAT.equals(key.getKeyFormat())) {
      throw new CryptoException("unknown key_format " + KeyAlgorithm.quote(key.getKeyFormat()));
    }
    if (!key.hasSecretKeyBits()) {
      throw new CryptoException("symmetric key_message lacks secret_key_bits");
    }
    checkSymmetricLength(alg, key.getSecretKeyBits().size());
    return key.getSecretKeyBits().toByteArray();
  }

  private static void checkSymmetricLength(SymmetricAlgorithm alg, int length)
      throws CryptoException {
    if (length != alg.keySize()) {
      throw new CryptoException(alg.label() + " needs " + alg.keySize() + " key bytes, got "
          + length);
    }
  }

  // The algorithm of an asymmetric key_message, after the checks every reader needs: a known
  // type, an acceptable format, and exactly the one key field that the type calls for.
  private static KeyAlgorithm algorithmOf(key_message key) throws CryptoException {
    Objects.requireNonNull(key, "key");
    KeyAlgorithm alg = KeyAlgorithm.fromKeyType(key.getKeyType());
    if (key.hasKeyFormat() && !KEY_FORMAT.equals(key.getKeyFormat())
        && !(!alg.isRsa() && CPP_ECC_KEY_FORMAT.equals(key.getKeyFormat()))) {
      throw new CryptoException("unknown key_format " + KeyAlgorithm.quote(key.getKeyFormat()));
    }
    if (alg.isRsa() ? !key.hasRsaKey() || key.hasEccKey() : !key.hasEccKey() || key.hasRsaKey()) {
      throw new CryptoException(KeyAlgorithm.quote(key.getKeyType()) + " key_message needs "
          + (alg.isRsa() ? "rsa_key" : "ecc_key") + " and nothing else");
    }
    return alg;
  }

  private static key_message.Builder publicKeyMessage(PublicKey publicKey)
      throws CryptoException {
    Objects.requireNonNull(publicKey, "publicKey");
    KeyAlgorithm alg = KeyAlgorithm.of(publicKey);
    key_message.Builder key = key_message.newBuilder()
        .setKeyType(alg.publicKeyType())
        .setKeyFormat(KEY_FORMAT);
    if (alg.isRsa()) {
      if (!(publicKey instanceof RSAPublicKey rsa)) {
        throw new CryptoException("not an RSA public key");
      }
      return key.setRsaKey(rsaPublicFields(rsa));
    }
    if (!(publicKey instanceof ECPublicKey ec)) {
      throw new CryptoException("not an EC public key");
    }
    return key.setEccKey(eccPublicFields(alg, ec.getW()));
  }

  private static rsa_message.Builder rsaPublicFields(RSAPublicKey pub) {
    return rsa_message.newBuilder()
        .setPublicModulus(Unsigned.toByteString(pub.getModulus()))
        .setPublicExponent(Unsigned.toByteString(pub.getPublicExponent()));
  }

  // §1.5, C++ ECC_to_key: curve name, p, a, b, G, Q and the order, all minimal big-endian.
  private static ecc_message.Builder eccPublicFields(KeyAlgorithm alg, ECPoint q) {
    ECParameterSpec params = alg.ecParameters();
    return ecc_message.newBuilder()
        .setCurveName(alg.curveName())
        .setCurveP(Unsigned.toByteString(fieldPrime(params)))
        .setCurveA(Unsigned.toByteString(params.getCurve().getA()))
        .setCurveB(Unsigned.toByteString(params.getCurve().getB()))
        .setBasePoint(point(params.getGenerator()))
        .setPublicPoint(point(q))
        .setOrderOfBasePoint(Unsigned.toByteString(params.getOrder()));
  }

  private static point_message point(ECPoint p) {
    return point_message.newBuilder()
        .setX(Unsigned.toByteString(p.getAffineX()))
        .setY(Unsigned.toByteString(p.getAffineY()))
        .build();
  }

  private static BigInteger fieldPrime(ECParameterSpec params) {
    return ((ECFieldFp) params.getCurve().getField()).getP();
  }

  private static boolean hasRsaPrivateField(rsa_message rsa) {
    return rsa.hasPrivateExponent() || rsa.hasPrivateP() || rsa.hasPrivateQ()
        || rsa.hasPrivateDp() || rsa.hasPrivateDq() || rsa.hasPrivateIqmp();
  }

  private static RSAPublicKeySpec rsaPublicSpec(KeyAlgorithm alg, rsa_message rsa)
      throws CryptoException {
    if (!rsa.hasPublicModulus()) {
      throw new CryptoException("RSA key_message lacks public_modulus");
    }
    if (!rsa.hasPublicExponent()) {
      throw new CryptoException("RSA key_message lacks public_exponent");
    }
    BigInteger n = Unsigned.fromBytes(rsa.getPublicModulus());
    // The type names the exact size: OpenSSL and Go generate moduli of exactly that many bits.
    if (n.bitLength() != alg.bits()) {
      throw new CryptoException(alg.label() + " key has a " + n.bitLength() + "-bit modulus");
    }
    if (!n.testBit(0)) {
      throw new CryptoException("RSA modulus is even");
    }
    BigInteger e = Unsigned.fromBytes(rsa.getPublicExponent());
    if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0 || e.compareTo(n) >= 0) {
      throw new CryptoException("RSA public exponent is invalid");
    }
    return new RSAPublicKeySpec(n, e);
  }

  private static KeySpec rsaPrivateSpec(KeyAlgorithm alg, rsa_message rsa)
      throws CryptoException {
    RSAPublicKeySpec pub = rsaPublicSpec(alg, rsa);
    BigInteger n = pub.getModulus();
    if (!rsa.hasPrivateExponent()) {
      throw new CryptoException("RSA key_message lacks private_exponent");
    }
    BigInteger d = Unsigned.fromBytes(rsa.getPrivateExponent());
    if (d.signum() <= 0 || d.compareTo(n) >= 0) {
      throw new CryptoException("RSA private exponent out of range");
    }
    boolean anyCrt = rsa.hasPrivateP() || rsa.hasPrivateQ() || rsa.hasPrivateDp()
        || rsa.hasPrivateDq() || rsa.hasPrivateIqmp();
    if (!anyCrt) {
      return new RSAPrivateKeySpec(n, d);
    }
    if (!(rsa.hasPrivateP() && rsa.hasPrivateQ() && rsa.hasPrivateDp() && rsa.hasPrivateDq()
        && rsa.hasPrivateIqmp())) {
      throw new CryptoException("RSA key_message has only some of the CRT parameters");
    }
    BigInteger p = Unsigned.fromBytes(rsa.getPrivateP());
    BigInteger q = Unsigned.fromBytes(rsa.getPrivateQ());
    BigInteger dp = Unsigned.fromBytes(rsa.getPrivateDp());
    BigInteger dq = Unsigned.fromBytes(rsa.getPrivateDq());
    BigInteger iqmp = Unsigned.fromBytes(rsa.getPrivateIqmp());
    // Inconsistent CRT parameters would yield faulty signatures, and a single faulty CRT
    // signature reveals the factors of n; so they are checked against each other before use.
    BigInteger one = BigInteger.ONE;
    if (p.compareTo(one) <= 0 || q.compareTo(one) <= 0 || !p.multiply(q).equals(n)) {
      throw new CryptoException("RSA primes do not multiply to the modulus");
    }
    BigInteger pMinus1 = p.subtract(one);
    BigInteger qMinus1 = q.subtract(one);
    BigInteger lambda = pMinus1.divide(pMinus1.gcd(qMinus1)).multiply(qMinus1);
    if (!dp.equals(d.mod(pMinus1)) || !dq.equals(d.mod(qMinus1))
        || !q.multiply(iqmp).mod(p).equals(one)
        || !pub.getPublicExponent().multiply(d).mod(lambda).equals(one)) {
      throw new CryptoException("RSA private key parameters are inconsistent");
    }
    return new RSAPrivateCrtKeySpec(n, pub.getPublicExponent(), d, p, q, dp, dq, iqmp);
  }

  // The public point, after checking that the message describes the curve its type names and
  // that the point lies on it (an off-curve point invites invalid-curve attacks).
  private static ECPoint eccPublicPoint(KeyAlgorithm alg, ecc_message ecc)
      throws CryptoException {
    if (!alg.curveName().equals(ecc.getCurveName())) {
      throw new CryptoException(alg.label() + " key names curve "
          + KeyAlgorithm.quote(ecc.hasCurveName() ? ecc.getCurveName() : null));
    }
    ECParameterSpec params = alg.ecParameters();
    BigInteger p = fieldPrime(params);
    BigInteger a = params.getCurve().getA();
    BigInteger b = params.getCurve().getB();
    // Parameters are optional (Go omits the order) but, where present, must be the curve's;
    // compared as numbers because Go pads every field with a zero byte (§1.5).
    if ((ecc.hasCurveP() && !Unsigned.fromBytes(ecc.getCurveP()).equals(p))
        || (ecc.hasCurveA() && !Unsigned.fromBytes(ecc.getCurveA()).equals(a))
        || (ecc.hasCurveB() && !Unsigned.fromBytes(ecc.getCurveB()).equals(b))
        || (ecc.hasOrderOfBasePoint()
            && !Unsigned.fromBytes(ecc.getOrderOfBasePoint()).equals(params.getOrder()))
        || (ecc.hasBasePoint() && !params.getGenerator().equals(toPoint(ecc.getBasePoint())))) {
      throw new CryptoException("ECC key parameters are not those of " + alg.curveName());
    }
    if (!ecc.hasPublicPoint()) {
      throw new CryptoException("ECC key_message lacks public_point");
    }
    ECPoint q = toPoint(ecc.getPublicPoint());
    BigInteger x = q.getAffineX();
    BigInteger y = q.getAffineY();
    BigInteger rhs = x.pow(3).add(a.multiply(x)).add(b).mod(p);
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0 || !y.multiply(y).mod(p).equals(rhs)) {
      throw new CryptoException("ECC public point is not on " + alg.curveName());
    }
    return q;
  }

  private static ECPoint toPoint(point_message point) throws CryptoException {
    if (!point.hasX() || !point.hasY()) {
      throw new CryptoException("ECC point lacks a coordinate");
    }
    return new ECPoint(Unsigned.fromBytes(point.getX()), Unsigned.fromBytes(point.getY()));
  }

  private static PublicKey generatePublic(String algorithm, KeySpec spec) throws CryptoException {
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(spec);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CryptoException(algorithm + " public key rejected", e);
    }
  }

  private static PrivateKey generatePrivate(String algorithm, KeySpec spec)
      throws CryptoException {
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(spec);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CryptoException(algorithm + " private key rejected", e);
    }
  }
}
