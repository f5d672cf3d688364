import type { Migration } from "./migration.js";

/**
 * Keyless providers (issue 9): registry.opentofu.org serves providers whose authors submitted no signing key, and
 * tofu installs them after the checksum checks alone. A release records whether its SHA256SUMS signature was
 * checked; existing rows were all verified.
 */
export const migration005UnsignedReleases: Migration = {
  id: 5,
  name: "unsigned-releases",
  sql: `
    ALTER TABLE provider_releases ADD COLUMN signed INTEGER NOT NULL DEFAULT 1 CHECK (signed IN (0, 1));
  `,
};
