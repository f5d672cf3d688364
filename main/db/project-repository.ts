import { LarderError } from "../core/errors.js";
import type { Db } from "./connection.js";

/** What a remembered project is checked for; empty lists mean "the mirror's defaults". */
export interface ProjectTargets {
  readonly clients: readonly string[];
  readonly platforms: readonly string[];
  readonly reachable: readonly string[];
}

/** A remembered project (migration 15). */
export interface ProjectRecord extends ProjectTargets {
  readonly id: number;
  readonly name: string;
  readonly kind: "folder" | "upload";
  readonly path: string;
  readonly createdAt: string;
}

interface ProjectRow {
  id: number;
  name: string;
  kind: "folder" | "upload";
  path: string;
  clients_json: string;
  platforms_json: string;
  reachable_json: string;
  created_at: string;
}

function strings(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : [];
}

function toRecord(row: ProjectRow): ProjectRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    path: row.path,
    clients: strings(row.clients_json),
    platforms: strings(row.platforms_json),
    reachable: strings(row.reachable_json),
    createdAt: row.created_at,
  };
}

/** All SQL about remembered projects. */
export class ProjectRepository {
  constructor(private readonly db: Db) {}

  list(): ProjectRecord[] {
    return this.db.prepare<[], ProjectRow>("SELECT * FROM projects ORDER BY name, id").all().map(toRecord);
  }

  find(id: number): ProjectRecord | undefined {
    const row = this.db.prepare<[number], ProjectRow>("SELECT * FROM projects WHERE id = ?").get(id);
    return row && toRecord(row);
  }

  /** Remembers a project; a path remembered already is a conflict that names the project holding it. */
  insert(project: Omit<ProjectRecord, "id" | "createdAt">): ProjectRecord {
    const existing = this.db
      .prepare<[string], ProjectRow>("SELECT * FROM projects WHERE path = ?")
      .get(project.path);
    if (existing)
      throw new LarderError(
        "conflict",
        `${project.path} is already the project "${existing.name}" (${existing.id}).`,
        { field: "path" },
      );
    const createdAt = new Date().toISOString();
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO projects (name, kind, path, clients_json, platforms_json, reachable_json, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          project.name,
          project.kind,
          project.path,
          JSON.stringify(project.clients),
          JSON.stringify(project.platforms),
          JSON.stringify(project.reachable),
          createdAt,
        ).lastInsertRowid,
    );
    return { ...project, id, createdAt };
  }

  /** Renames a project or changes its targets; undefined when there is no such project. */
  update(id: number, change: Partial<ProjectTargets & { name: string }>): ProjectRecord | undefined {
    const current = this.find(id);
    if (!current) return undefined;
    const next = { ...current, ...change };
    this.db
      .prepare(
        "UPDATE projects SET name = ?, clients_json = ?, platforms_json = ?, reachable_json = ? WHERE id = ?",
      )
      .run(
        next.name,
        JSON.stringify(next.clients),
        JSON.stringify(next.platforms),
        JSON.stringify(next.reachable),
        id,
      );
    return next;
  }

  /** Forgets a project; false when there was none. */
  delete(id: number): boolean {
    return this.db.prepare("DELETE FROM projects WHERE id = ?").run(id).changes > 0;
  }
}
