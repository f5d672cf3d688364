/** A numbered schema change. Migrations are append-only: a released one is never edited, only followed. */
export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}
