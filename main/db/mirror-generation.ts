import type { Db } from "./connection.js";

/**
 * The mirror's change counter (migration 11): one indexed single-row read, cheap enough to ask on every protocol
 * request. Moves on every commit that adds, changes or removes a provider release, package or module version, by
 * this process or any other.
 */
export class MirrorGeneration {
  private readonly read;

  constructor(db: Db) {
    this.read = db.prepare<[], number>("SELECT value FROM mirror_generation WHERE id = 1").pluck();
  }

  current(): number {
    return this.read.get() ?? 0;
  }
}
