/** The admin API contract: request and response schemas shared by the Express handlers and every client. */
export * from "./audit.js";
export * from "./bundles.js";
export * from "./catalog.js";
export * from "./common.js";
export * from "./connect.js";
export * from "./events.js";
export * from "./inventory.js";
export * from "./jobs.js";
export * from "./projects.js";
export * from "./settings.js";
export * from "./status.js";
