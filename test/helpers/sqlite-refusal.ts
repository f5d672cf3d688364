import { expect } from "vitest";

/**
 * Matches the LarderError the guarded database throws when SQLite refused a statement, by the SQLite wording it
 * keeps as `cause`: schema tests check which constraint fired, while the message (for people) never says.
 */
export function sqliteRefusal(pattern: RegExp): unknown {
  return expect.objectContaining({
    name: "LarderError",
    cause: expect.objectContaining({
      name: "SqliteError",
      message: expect.stringMatching(pattern) as unknown,
    }) as unknown,
  });
}
