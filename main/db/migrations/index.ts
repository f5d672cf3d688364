import { migration001Initial } from "./001-initial.js";
import { migration002Modules } from "./002-modules.js";
import { migration003Jobs } from "./003-jobs.js";
import { migration004Bundles } from "./004-bundles.js";
import { migration005UnsignedReleases } from "./005-unsigned-releases.js";
import { migration006Settings } from "./006-settings.js";
import { migration007AuditLog } from "./007-audit-log.js";
import { migration008IngestSessions } from "./008-ingest-sessions.js";
import { migration009Catalog } from "./009-catalog.js";
import { migration010PackageSizes } from "./010-package-sizes.js";
import { migration011MirrorGeneration } from "./011-mirror-generation.js";
import { migration012ProjectJobs } from "./012-project-jobs.js";
import { migration013ConfigCache } from "./013-config-cache.js";
import { migration014RemoteModules } from "./014-remote-modules.js";
import { migration015Projects } from "./015-projects.js";
import type { Migration } from "./migration.js";

/** Every migration in order. Append new ones at the end with the next id. */
export const migrations: readonly Migration[] = [
  migration001Initial,
  migration002Modules,
  migration003Jobs,
  migration004Bundles,
  migration005UnsignedReleases,
  migration006Settings,
  migration007AuditLog,
  migration008IngestSessions,
  migration009Catalog,
  migration010PackageSizes,
  migration011MirrorGeneration,
  migration012ProjectJobs,
  migration013ConfigCache,
  migration014RemoteModules,
  migration015Projects,
];
