import type { BenchScale } from "./scale.js";

/** What every section gets: where to work, how big to go, and where to say what it is doing. */
export interface BenchContext {
  /** A temp directory removed at the end of the run; sections make their own subfolders. */
  readonly workDir: string;
  readonly scale: BenchScale;
  /** Progress lines on stderr, so stdout stays the tables. */
  log(message: string): void;
}
