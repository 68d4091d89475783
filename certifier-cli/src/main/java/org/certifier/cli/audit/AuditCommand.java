package org.certifier.cli.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.certifier.cli.CommandFailure;
import org.certifier.cli.ExitCodes;
import org.certifier.cli.Guard;
import org.certifier.cli.output.Facts;
import org.certifier.cli.output.FormatOption;
import org.certifier.crypto.Certificates;
import org.certifier.files.AtomicFiles;
import org.certifier.service.DomainKeys;
import org.certifier.service.audit.AuditEntryProof;
import org.certifier.service.audit.AuditExport;
import org.certifier.service.audit.AuditLog;
import org.certifier.service.audit.AuditVerifier;
import org.certifier.service.store.AuditEntry;
import org.certifier.service.store.DecisionRecord;
import org.certifier.service.store.JdbcServiceStore;
import org.certifier.transparency.ConsistencyProof;
import org.certifier.transparency.LogFailure;
import org.certifier.transparency.LogVerificationException;
import org.certifier.transparency.SignedTreeHead;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code certifier audit}: the tamper-evident audit log. Tree heads, exports and proofs are
 * taken from the service's store; the {@code verify-*} commands check them offline, with
 * nothing but the files and the policy certificate (docs/operations.md, "Audit log").
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {"The audit log as a Merkle tree with signed tree heads (RFC 6962/9162):"
        + " take tree heads, exports and proofs from the service's store, and verify them"
        + " offline with the policy certificate only.",
        "verify-* exit 0 verified, 1 rejected (with the failure code), 3 unreadable input."},
    subcommands = {AuditCommand.TreeHead.class, AuditCommand.Export.class,
        AuditCommand.Prove.class, AuditCommand.Consistency.class,
        AuditCommand.VerifyInclusion.class, AuditCommand.VerifyConsistency.class,
        AuditCommand.VerifyLog.class})
public final class AuditCommand {
  private static final HexFormat HEX = HexFormat.of();

  private AuditCommand() {}

  /** {@code certifier audit tree-head}. */
  @Command(name = "tree-head", mixinStandardHelpOptions = true,
      description = "Sign (or fetch, if one was signed for this size) the head of the whole log"
          + " as it is now, print it, and with --out save it for later checks.")
  public static final class TreeHead implements Runnable {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;
    @Mixin FormatOption format;

    @Option(names = {"--policy-key-file", "--policy_key_file"}, required = true,
        paramLabel = "FILE", description = "The domain's private policy key, which signs.")
    Path policyKeyFile;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to save the tree head.")
    Path out;

    @Override
    public void run() {
      Guard.run(() -> {
        DomainKeys keys = DomainKeys.load(policyKeyFile, store.policyCertFile);
        SignedTreeHead head;
        try (JdbcServiceStore s = store.open(keys.certificate())) {
          head = AuditLog.signing(s, keys, java.time.Clock.systemUTC()).currentTreeHead();
        }
        if (out != null) {
          AtomicFiles.write(out, head.toText().getBytes(StandardCharsets.US_ASCII));
        }
        Facts facts = describe(head, new Facts());
        if (out != null) {
          facts.put("saved-to", out.toString());
        }
        format.print(facts, spec.commandLine().getOut());
      });
    }
  }

  /** {@code certifier audit export}. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write the audit rows exactly as stored (altered ones too) for offline"
          + " verification with verify-log.")
  public static final class Export implements Runnable {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(names = "--from", defaultValue = "0", paramLabel = "SEQ",
        description = "First entry (default: ${DEFAULT-VALUE}); verify-log needs 0.")
    long from;

    @Option(names = "--to", paramLabel = "SEQ",
        description = "Entry after the last (default: the log's size).")
    Long to;

    @Option(names = "--out", required = true, paramLabel = "FILE",
        description = "The export file.")
    Path out;

    @Override
    public void run() {
      Guard.run(() -> {
        long rows;
        try (JdbcServiceStore s = store.open(store.policyCertificate());
            Writer w = Files.newBufferedWriter(out, StandardCharsets.US_ASCII)) {
          AuditLog log = AuditLog.readOnly(s, store.policyCertificate());
          long end = to == null ? log.size() : to;
          rows = usage(() -> log.export(from, end, w));
        }
        spec.commandLine().getOut().println("exported " + rows + " rows to " + out);
      });
    }
  }

  /**
   * What {@code prove} and {@code consistency} share: take a proof from the store's log for a
   * tree size (by default that of the newest signed tree head), save it to {@code --out} and say
   * what was written.
   */
  abstract static class ProofCommand implements Runnable {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(names = "--out", required = true, paramLabel = "FILE",
        description = "The proof file.")
    Path out;

    /** A proof's saved text and what it proves, for the line printed after it is written. */
    record Proof(String text, String summary) {}

    /** The tree size the user gave, or null for the newest signed tree head's. */
    abstract Long requestedSize();

    /** The proof in the tree of {@code size} entries; IllegalArgumentException if none. */
    abstract Proof prove(AuditLog log, long size) throws IOException;

    @Override
    public void run() {
      Guard.run(() -> {
        Proof proof;
        try (JdbcServiceStore s = store.open(store.policyCertificate())) {
          AuditLog log = AuditLog.readOnly(s, store.policyCertificate());
          Long requested = requestedSize();
          long size = requested != null ? requested : newestHeadSize(log);
          proof = usage(() -> prove(log, size));
        }
        AtomicFiles.write(out, proof.text().getBytes(StandardCharsets.US_ASCII));
        spec.commandLine().getOut().println(proof.summary() + " written to " + out);
      });
    }
  }

  /** {@code certifier audit prove}. */
  @Command(name = "prove", mixinStandardHelpOptions = true,
      description = "Write an entry with the proof that it is in the tree of --tree-size"
          + " entries, for verify-inclusion against the tree head of that size.")
  public static final class Prove extends ProofCommand {
    @Option(names = "--entry", required = true, paramLabel = "SEQ",
        description = "The entry's sequence number.")
    long entry;

    @Option(names = "--tree-size", paramLabel = "N",
        description = "The tree to prove it in (default: that of the newest signed tree head).")
    Long treeSize;

    @Override
    Long requestedSize() {
      return treeSize;
    }

    @Override
    Proof prove(AuditLog log, long size) throws IOException {
      AuditEntryProof proof = log.prove(entry, size);
      return new Proof(proof.toText(), "proof of entry " + entry + " in the tree of "
          + proof.proof().treeSize() + " entries");
    }
  }

  /** {@code certifier audit consistency}. */
  @Command(name = "consistency", mixinStandardHelpOptions = true,
      description = "Write the proof that the tree of --old-size entries is a prefix of the tree"
          + " of --new-size, for verify-consistency.")
  public static final class Consistency extends ProofCommand {
    @Option(names = "--old-size", required = true, paramLabel = "N",
        description = "The older tree head's size.")
    long oldSize;

    @Option(names = "--new-size", paramLabel = "N",
        description = "The newer tree head's size (default: that of the newest signed head).")
    Long newSize;

    @Override
    Long requestedSize() {
      return newSize;
    }

    @Override
    Proof prove(AuditLog log, long size) throws IOException {
      ConsistencyProof proof = log.consistencyProof(oldSize, size);
      return new Proof(proof.toText(), "consistency proof from " + proof.oldSize() + " to "
          + proof.newSize() + " entries");
    }
  }

  /**
   * What the {@code verify-*} commands share: offline, with the policy certificate only, check
   * files and print the verdict (exit 0 verified, 1 rejected, 3 unreadable input).
   */
  abstract static class VerifyCommand implements Runnable {
    @Spec CommandSpec spec;
    @Mixin FormatOption format;

    @Option(names = "--policy-cert", required = true, paramLabel = "FILE",
        description = "The domain's policy certificate (DER or PEM).")
    Path policyCert;

    /** Reads and checks the files with the policy key, describing them in {@code facts}. */
    abstract void check(PublicKey key, Facts facts) throws IOException, LogVerificationException;

    @Override
    public void run() {
      Guard.run(() -> {
        PublicKey key = policyKey(policyCert);
        Facts facts = new Facts();
        verdict(facts, format, spec, () -> check(key, facts));
      });
    }
  }

  /** {@code certifier audit verify-inclusion}. */
  @Command(name = "verify-inclusion", mixinStandardHelpOptions = true,
      description = "Offline: the entry in the proof file is in the log the tree head signed.")
  public static final class VerifyInclusion extends VerifyCommand {
    @Option(names = "--proof", required = true, paramLabel = "FILE",
        description = "The file of audit prove.")
    Path proofFile;

    @Option(names = "--tree-head", required = true, paramLabel = "FILE",
        description = "A saved tree head.")
    Path headFile;

    @Override
    void check(PublicKey key, Facts facts) throws IOException, LogVerificationException {
      AuditEntryProof proof = AuditFiles.entryProof(proofFile);
      SignedTreeHead head = AuditFiles.treeHead(headFile);
      describe(proof.entry(), facts.child("entry"));
      describe(head, facts.child("tree-head"));
      AuditVerifier.verifyInclusion(proof, head, key);
    }
  }

  /** {@code certifier audit verify-consistency}. */
  @Command(name = "verify-consistency", mixinStandardHelpOptions = true,
      description = "Offline: the log the newer tree head signed extends, unchanged, the log the"
          + " older one signed.")
  public static final class VerifyConsistency extends VerifyCommand {
    @Option(names = "--old", required = true, paramLabel = "FILE",
        description = "The older saved tree head.")
    Path oldHead;

    @Option(names = "--new", required = true, paramLabel = "FILE",
        description = "The newer saved tree head.")
    Path newHead;

    @Option(names = "--proof", required = true, paramLabel = "FILE",
        description = "The file of audit consistency.")
    Path proofFile;

    @Override
    void check(PublicKey key, Facts facts) throws IOException, LogVerificationException {
      SignedTreeHead older = AuditFiles.treeHead(oldHead);
      SignedTreeHead newer = AuditFiles.treeHead(newHead);
      ConsistencyProof proof = AuditFiles.consistencyProof(proofFile);
      describe(older, facts.child("old"));
      describe(newer, facts.child("new"));
      AuditVerifier.verifyConsistency(older, newer, proof, key);
    }
  }

  /** {@code certifier audit verify-log}. */
  @Command(name = "verify-log", mixinStandardHelpOptions = true,
      description = "Offline: recompute the tree from an export and check every row (unaltered,"
          + " in place, none missing) and each saved tree head's signature and root.")
  public static final class VerifyLog extends VerifyCommand {
    @Option(names = "--export", required = true, paramLabel = "FILE",
        description = "The file of audit export (from entry 0).")
    Path export;

    @Option(names = "--tree-head", required = true, paramLabel = "FILE",
        description = "A saved tree head; repeatable, any order.")
    List<Path> headFiles = new ArrayList<>();

    @Override
    void check(PublicKey key, Facts facts) throws IOException, LogVerificationException {
      List<SignedTreeHead> heads = new ArrayList<>();
      for (Path file : headFiles) {
        heads.add(AuditFiles.treeHead(file));
      }
      try (BufferedReader in = Files.newBufferedReader(export, StandardCharsets.US_ASCII)) {
        AuditVerifier.LogSummary summary = AuditVerifier.verifyLog(
            new AuditExport.In(in, "export " + export), heads, key);
        facts.put("entries", summary.entries());
        List<Object> matched = facts.list("tree-heads");
        summary.headsMatched().forEach(h -> matched.add(describe(h, new Facts())));
      }
    }
  }

  /** A body that may find the log or a file wrong. */
  private interface Check {
    void run() throws IOException, LogVerificationException;
  }

  /**
   * Runs {@code check} and prints the verdict: verified (exit 0), rejected with the failure
   * code (exit 1), or unreadable input (exit 3).
   */
  private static void verdict(Facts facts, FormatOption format, CommandSpec spec, Check check)
      throws IOException {
    try {
      check.run();
      facts.put("verdict", "verified");
      format.print(facts, spec.commandLine().getOut());
    } catch (LogVerificationException e) {
      if (e.failure() == LogFailure.MALFORMED) {
        throw new CommandFailure(ExitCodes.BAD_INPUT, e.failure().code() + ": "
            + e.getMessage(), e);
      }
      facts.put("verdict", "rejected");
      facts.put("failure", e.failure().code());
      facts.put("reason", String.valueOf(e.getMessage()));
      format.print(facts, spec.commandLine().getOut());
      throw new CommandFailure(ExitCodes.REJECTED, "rejected: " + e.failure().code() + ": "
          + e.getMessage(), e);
    }
  }

  private interface StoreCall<T> {
    T call() throws IOException;
  }

  /** A size or entry number the log does not have is the user's mistake: a usage error. */
  private static <T> T usage(StoreCall<T> call) throws IOException {
    try {
      return call.call();
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
    }
  }

  private static long newestHeadSize(AuditLog log) throws IOException {
    return log.latestTreeHead().orElseThrow(() -> new CommandFailure(ExitCodes.USAGE,
        "no tree head has been signed yet: run `certifier audit tree-head` or give the size"))
        .treeSize();
  }

  private static PublicKey policyKey(Path certFile)
      throws IOException, java.security.GeneralSecurityException {
    return Certificates.parseDerOrPem(Files.readAllBytes(certFile)).getPublicKey();
  }

  private static Facts describe(SignedTreeHead head, Facts f) {
    f.put("tree-size", head.treeSize());
    f.put("root-hash", HEX.formatHex(head.rootHash()));
    f.put("timestamp", head.timestamp().toString());
    f.put("log-id", HEX.formatHex(head.logId()));
    return f;
  }

  private static void describe(AuditEntry entry, Facts f) {
    DecisionRecord d = entry.decision();
    f.put("seq", entry.seq());
    f.put("decided-at", d.decidedAt().toString());
    f.put("outcome", d.failureCode().map(c -> "rejected: " + c).orElse("admitted"));
    d.requester().ifPresent(v -> f.put("requester", v));
    d.purpose().ifPresent(v -> f.put("purpose", v));
    d.measurement().ifPresent(v -> f.put("measurement", v));
    d.serial().ifPresent(v -> f.put("serial", v.toString()));
    d.evidenceSha256().ifPresent(v -> f.put("evidence-sha256", v));
    d.artifactSha256().ifPresent(v -> f.put("artifact-sha256", v));
    d.policySha256().ifPresent(v -> f.put("policy-sha256", v));
  }
}
