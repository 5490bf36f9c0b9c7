// Create Athena Table from S3 Prefix… — on an S3 prefix: infers the columns from a sample (CSV
// header and rows, JSON lines, or the Parquet schema), writes the CREATE EXTERNAL TABLE into an
// editor for review, runs it when the user says so, and reveals the new table.
import * as vscode from 'vscode';
import { inferTableFromPrefix } from '../../aws/athena/inferTable';
import { executableText, splitStatements } from '../../aws/athena/statements';
import { createTableDdl } from '../../aws/athena/tableDdl';
import { CancelledError, FerryError } from '../../core/errors';
import type { FerryCommand } from '../types';
import { AthenaCommandContext } from './context';
import { ui } from '../../editor/messages';

interface PrefixLike {
  bucket: string;
  key: string;
}

function isPrefix(node: unknown): node is PrefixLike {
  return !!node && typeof node === 'object' && typeof (node as PrefixLike).bucket === 'string' && typeof (node as PrefixLike).key === 'string';
}

export function createTableFromPrefixCommand(ctx: AthenaCommandContext): FerryCommand {
  return {
    id: 'ferry.athena.createTableFromPrefix',
    run: async (node?: unknown) => {
      let target: PrefixLike | undefined = isPrefix(node) ? node : undefined;
      if (!target) {
        const uri = await vscode.window.showInputBox({
          title: 'Create Athena Table from S3 Prefix',
          prompt: 'S3 prefix (s3://bucket/prefix/)',
          validateInput: (v) => (/^s3:\/\/[^/]+\/?/.test(v) ? undefined : 'Enter s3://bucket/prefix/'),
        });
        if (!uri) throw new CancelledError();
        const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri.trim())!;
        target = { bucket: m[1], key: m[2] };
      }
      const database = await ctx.databases.require();
      const inferred = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Sampling s3://${target.bucket}/${target.key}` },
        async () => inferTableFromPrefix(await ctx.s3(target.bucket), { bucket: target.bucket, prefix: target.key, database }),
      );
      const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: createTableDdl(inferred) });
      await vscode.window.showTextDocument(doc);
      const choice = await ui.info(
        `Review the CREATE TABLE for ${database}.${inferred.table} (${inferred.columns.length} columns, ${inferred.format}), then run it.`,
        'Run',
        'Cancel',
      );
      if (choice !== 'Run') return;
      const statements = splitStatements(doc.getText())
        .map((s) => executableText(s.text))
        .filter(Boolean);
      if (!statements.length) throw new FerryError('invalidInput', 'The editor holds no statement to run.');
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Athena: creating table' }, async () => {
        for (const sql of statements) await ctx.service.run(sql, { database, catalog: ctx.settings()['athena.catalog'] });
      });
      const created =
        /CREATE\s+EXTERNAL\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:[`"]?[\w-]+[`"]?\.)?[`"]?([\w-]+)[`"]?/i.exec(statements[0])?.[1]?.toLowerCase() ??
        inferred.table;
      ctx.tree.refresh();
      const found = await ctx.tree.findTable(ctx.settings()['athena.catalog'], database, created);
      if (found && ctx.view) await ctx.view.reveal(found, { select: true, focus: true, expand: true });
      void ui.info(`Created Athena table ${database}.${created}.`);
    },
  };
}
