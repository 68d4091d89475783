-- The Merkle tree over audit_log and its signed tree heads (docs/operations.md, "Audit log").
-- Kept so that roots and proofs of a long log take a few lookups instead of rereading every
-- entry. Only SQL that both H2 and PostgreSQL accept.

-- Every complete subtree of the tree (RFC 6962 §2.1): tree_level 0 holds the leaf hashes as
-- the tree took them in; level l, index i covers the entries [i * 2^l, (i + 1) * 2^l).
CREATE TABLE audit_tree_node (
  tree_level INT NOT NULL,
  tree_index BIGINT NOT NULL,
  node_hash VARCHAR(64) NOT NULL,
  PRIMARY KEY (tree_level, tree_index)
);

-- How many entries the nodes cover. Extending the tree is a compare-and-set on this row, so
-- replicas never write the same node twice and the covered entries are a prefix without gaps.
CREATE TABLE audit_tree_state (
  id INT NOT NULL PRIMARY KEY CHECK (id = 1),
  size BIGINT NOT NULL
);
INSERT INTO audit_tree_state (id, size) VALUES (1, 0);

-- Signed tree heads, at most one per tree size, in their text form (the file an auditor keeps).
CREATE TABLE audit_tree_head (
  tree_size BIGINT NOT NULL PRIMARY KEY,
  root_hash VARCHAR(64) NOT NULL,
  signed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  head VARCHAR(4096) NOT NULL
);
