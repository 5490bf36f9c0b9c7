// The stand-in's Glue-like catalog: databases and their external tables, kept in a JSON file in
// the data directory so that tables survive a restart of the stand-in.
import fs from 'node:fs';
import path from 'node:path';
import { TableDefinition } from './ddl';

export interface CatalogTable extends TableDefinition {
  createTime: number;
}

export interface CatalogDatabase {
  name: string;
  description?: string;
  tables: Record<string, CatalogTable>;
}

interface CatalogFile {
  databases: Record<string, CatalogDatabase>;
}

export class Catalog {
  private data: CatalogFile;
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'catalog.json');
    this.data = fs.existsSync(this.file) ? (JSON.parse(fs.readFileSync(this.file, 'utf8')) as CatalogFile) : { databases: {} };
    if (!this.data.databases.default) this.data.databases.default = { name: 'default', tables: {} };
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data, null, 1));
    fs.renameSync(tmp, this.file);
  }

  databases(): CatalogDatabase[] {
    return Object.values(this.data.databases).sort((a, b) => a.name.localeCompare(b.name));
  }

  database(name: string): CatalogDatabase | undefined {
    return this.data.databases[name.toLowerCase()];
  }

  createDatabase(name: string, description?: string): void {
    this.data.databases[name] = { name, description, tables: {} };
    this.save();
  }

  dropDatabase(name: string): void {
    delete this.data.databases[name];
    this.save();
  }

  table(database: string, name: string): CatalogTable | undefined {
    return this.database(database)?.tables[name.toLowerCase()];
  }

  putTable(database: string, table: CatalogTable): void {
    const db = this.database(database);
    if (!db) throw new Error(`database ${database} missing`);
    db.tables[table.name] = table;
    this.save();
  }

  dropTable(database: string, name: string): void {
    delete this.database(database)?.tables[name];
    this.save();
  }

  /** Every table whose name appears as a word in the SQL text, with its database. */
  referencedTables(sql: string): Array<{ database: string; table: CatalogTable }> {
    // Bare words and quoted identifiers ("odd-name", `odd-name`).
    const words = new Set(
      (sql.toLowerCase().match(/"(?:[^"]|"")+"|`[^`]+`|[a-z0-9_]+/g) ?? []).map((w) => (/^["`]/.test(w) ? w.slice(1, -1).replace(/""/g, '"') : w)),
    );
    const out: Array<{ database: string; table: CatalogTable }> = [];
    for (const db of this.databases()) {
      for (const t of Object.values(db.tables)) if (words.has(t.name)) out.push({ database: db.name, table: t });
    }
    return out;
  }
}
