-- The operator API's state (docs/operations.md, "Operator API"). H2 and PostgreSQL alike.

-- Every CRL the domain published, newest = highest number. Replicas share one numbering: a
-- replica that finds the newest CRL stale signs the next number and inserts it; if another
-- replica inserted that number first, the primary key refuses the second and both serve the
-- first. So every replica hands out the same bytes for the same store state, and CRL numbers
-- only grow (RFC 5280 section 5.2.3).
CREATE TABLE crl (
  crl_number BIGINT NOT NULL PRIMARY KEY,
  der BYTEA NOT NULL,                  -- the signed CRL, exactly as served
  entries_sha256 VARCHAR(64) NOT NULL, -- of the revoked entries it lists (see CrlPublisher)
  this_update TIMESTAMP WITH TIME ZONE NOT NULL,
  next_update TIMESTAMP WITH TIME ZONE NOT NULL
);

