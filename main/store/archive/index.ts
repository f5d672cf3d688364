export {
  checkArchiveFormat,
  sniffArchiveFormat,
  type ArchiveFormat,
  type SniffedFormat,
} from "./archive-format.js";
export { DEFAULT_ARCHIVE_LIMITS, extractArchive, type ArchiveLimits } from "./extract-archive.js";
export { packDirectoryToTarGz } from "./pack-tar-gz.js";
