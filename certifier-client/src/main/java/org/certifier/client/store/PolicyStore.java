package org.certifier.client.store;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.certifier.client.enclave.Enclave;
import org.certifier.client.enclave.EnclaveException;
import org.certifier.crypto.AuthenticatedEncryption;
import org.certifier.files.AtomicFiles;
import org.certifier.crypto.KeyMessages;
import org.certifier.crypto.Randomness;
import org.certifier.crypto.SymmetricAlgorithm;
import org.certifier.proto.key_message;
import org.certifier.proto.policy_store_entry;
import org.certifier.proto.policy_store_message;
import org.certifier.proto.protected_blob_message;
import org.certifier.protocol.MalformedMessageException;
import org.certifier.protocol.Messages;

/**
 * The client's sealed store of keys, certificates and application secrets, in the reference's
 * format (reference-certifier.md §4.5): a {@code policy_store_message} encrypted under a fresh
 * random "protect key" which is itself sealed by the enclave, inside a
 * {@code protected_blob_message}. Stores written by the C++ library open here and vice versa.
 * Not thread-safe; {@code TrustManager} serialises access.
 */
public final class PolicyStore {
  /** The reference's in-memory limit; a file claiming more is refused, not trusted. */
  public static final int MAX_ENTRIES = 500;

  private final Path file;
  private final Enclave enclave;
  private final Map<String, policy_store_entry> entries = new LinkedHashMap<>();

  private PolicyStore(Path file, Enclave enclave) {
    this.file = file;
    this.enclave = enclave;
  }

  /** Opens the store at {@code file}; a missing file gives an empty store (first run). */
  public static PolicyStore open(Path file, Enclave enclave) throws StoreException {
    PolicyStore store = new PolicyStore(file, enclave);
    byte[] blob;
    try {
      blob = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return store;
    } catch (IOException e) {
      throw new StoreException("cannot read store " + file + ": " + e.getMessage(), e);
    }
    store.load(blob);
    return store;
  }

  public boolean exists() {
    return Files.exists(file);
  }

  public Path file() {
    return file;
  }

  public Optional<policy_store_entry> get(String tag) {
    return Optional.ofNullable(entries.get(tag));
  }

  public Optional<byte[]> value(String tag) {
    return get(tag).map(e -> e.getValue().toByteArray());
  }

  /** Inserts or replaces the entry {@code tag}. */
  public void put(String tag, String type, byte[] value) throws StoreException {
    if (!entries.containsKey(tag) && entries.size() >= MAX_ENTRIES) {
      throw new StoreException("store is full (" + MAX_ENTRIES + " entries)");
    }
    entries.put(tag, policy_store_entry.newBuilder().setTag(tag).setType(type)
        .setValue(ByteString.copyFrom(value)).build());
  }

  public void remove(String tag) {
    entries.remove(tag);
  }

  public List<policy_store_entry> entries() {
    return List.copyOf(entries.values());
  }

  /**
   * Encrypts and writes the store atomically under a new protect key of {@code algorithm}
   * (§4.5.2), so every save also rotates the data key.
   */
  public void save(SymmetricAlgorithm algorithm) throws StoreException {
    byte[] keyBits = new byte[algorithm.keySize()];
    Randomness.secureRandom().nextBytes(keyBits);
    byte[] plain = policy_store_message.newBuilder().setMaxEnts(MAX_ENTRIES)
        .addAllEntries(new ArrayList<>(entries.values())).build().toByteArray();
    byte[] serializedKey = null;
    try {
      key_message protectKey = KeyMessages.symmetricKey(algorithm, keyBits, "protect-key");
      serializedKey = protectKey.toByteArray();
      protected_blob_message blob = protected_blob_message.newBuilder()
          .setEncryptedKey(ByteString.copyFrom(enclave.seal(serializedKey)))
          .setEncryptedData(ByteString.copyFrom(AuthenticatedEncryption.encrypt(algorithm,
              keyBits, plain, Randomness.secureRandom())))
          .build();
      AtomicFiles.write(file, blob.toByteArray());
    } catch (GeneralSecurityException | EnclaveException e) {
      throw new StoreException("cannot protect store " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StoreException("cannot write store " + file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(keyBits, (byte) 0);
      Arrays.fill(plain, (byte) 0);
      if (serializedKey != null) {
        Arrays.fill(serializedKey, (byte) 0);
      }
    }
  }

  private void load(byte[] bytes) throws StoreException {
    byte[] serializedKey = null;
    byte[] keyBits = null;
    byte[] plain = null;
    try {
      protected_blob_message blob = Messages.parse(protected_blob_message.parser(), bytes,
          "store " + file);
      serializedKey = enclave.unseal(blob.getEncryptedKey().toByteArray());
      key_message protectKey = Messages.parse(key_message.parser(), serializedKey,
          "store protect key");
      if (!protectKey.hasSecretKeyBits()) {
        throw new StoreException("store " + file + ": protect key has no key bits");
      }
      SymmetricAlgorithm algorithm = SymmetricAlgorithm.fromLabel(protectKey.getKeyType());
      keyBits = protectKey.getSecretKeyBits().toByteArray();
      plain = AuthenticatedEncryption.decrypt(algorithm, keyBits,
          blob.getEncryptedData().toByteArray());
      policy_store_message message = Messages.parse(policy_store_message.parser(), plain,
          "store content");
      if (message.getEntriesCount() > MAX_ENTRIES) {
        throw new StoreException("store " + file + " holds " + message.getEntriesCount()
            + " entries, more than the limit of " + MAX_ENTRIES);
      }
      for (policy_store_entry entry : message.getEntriesList()) {
        entries.put(entry.getTag(), entry);
      }
    } catch (MalformedMessageException e) {
      throw new StoreException("store " + file + " is corrupt: " + e.getMessage(), e);
    } catch (EnclaveException e) {
      throw new StoreException("store " + file + " cannot be unsealed by this enclave: "
          + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new StoreException("store " + file + " failed authentication (altered or wrong"
          + " key)", e);
    } finally {
      for (byte[] secret : new byte[][] {serializedKey, keyBits, plain}) {
        if (secret != null) {
          Arrays.fill(secret, (byte) 0);
        }
      }
    }
  }
}
