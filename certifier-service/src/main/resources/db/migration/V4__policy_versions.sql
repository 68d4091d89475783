-- Signed policy versions (docs/policy-file.md, "Versioned policy artefacts"; docs/operations.md,
-- "Policy updates"). Every replica polls policy_head and switches to the newest version that
-- verifies under the domain's policy key. Only SQL that H2 and PostgreSQL both accept.

-- Each published artefact exactly as signed; sha256 (lowercase hex) is of those bytes. Version 0
-- is the unversioned reference policy file, which is never stored.
CREATE TABLE policy_versions (
  version BIGINT NOT NULL PRIMARY KEY CHECK (version > 0),
  sha256 VARCHAR(64) NOT NULL,
  artefact BYTEA NOT NULL,
  published_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The newest version ever published: the rollback high-water mark. Publishing raises it with
-- UPDATE ... WHERE newest < the new version, which takes this row's lock, so concurrent
-- publishers are ordered and any version at or below it is refused.
CREATE TABLE policy_head (
  id INT NOT NULL PRIMARY KEY CHECK (id = 1),
  newest BIGINT NOT NULL
);
INSERT INTO policy_head (id, newest) VALUES (1, 0);
