import { migration001Initial } from "./001-initial.js";
import type { Migration } from "./migration.js";

/** Every migration in order. Append new ones at the end with the next id. */
export const migrations: readonly Migration[] = [migration001Initial];
