// After a fault run, with faults off: what the stand-ins actually hold, read with plain clients and
// the stand-ins' own logs (never through Ferry), set against what Ferry claimed. Each mismatch is
// counted in one of the four columns that must stay 0, with a line that says what was found.
import { AthenaClient, BatchGetQueryExecutionCommand, ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { GetObjectCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { adminCall } from '../standIns';
import { Claim, DATA_BUCKET, Ledger } from './operations';
import type { World } from './world';

export interface Figures {
  operations: number;
  completed: number;
  failedClear: number;
  failedUnclear: number;
  lost: number;
  duplicated: number;
  orphaned: number;
  leaked: number;
}

export interface Audit {
  figures: Figures;
  /** One line per mismatch (and per unclear message). */
  findings: string[];
  /** Lines in Ferry's log file that the leak check read. */
  logLines: number;
}

const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

/**
 * A message a user can act on: says something, in words, and is not a raw parser or proxy dump.
 * (The rules are the visible symptoms of a message taken from the wrong layer.)
 */
export function isClearMessage(msg: string | undefined): boolean {
  if (!msg || msg.trim().length < 8 || msg.length > 600) return false;
  return !/<\/?(html|body|head|title|h1)\b|<!doctype|Unexpected token|Unexpected end of JSON|is not valid JSON|\[object Object\]|^undefined\b|^Error:?\s*$|^UnknownError$|Deserialization error|stream has been aborted/i.test(
    msg,
  );
}

function walkFiles(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) walkFiles(f, out);
    else out.push(f);
  }
  return out;
}

export async function audit(w: World, ledger: Ledger): Promise<Audit> {
  const findings: string[] = [];
  const claims = ledger.claims;
  const figures: Figures = {
    operations: claims.length,
    completed: claims.filter((c) => c.verdict === 'done').length,
    failedClear: 0,
    failedUnclear: 0,
    lost: 0,
    duplicated: 0,
    orphaned: 0,
    leaked: 0,
  };
  const lost = (why: string) => {
    figures.lost++;
    findings.push(`lost: ${why}`);
  };
  for (const c of claims) {
    if (c.wrong) lost(`op ${c.op} ${c.kind} claimed done but ${c.wrong}`);
    if (c.verdict !== 'failed') continue;
    if (isClearMessage(c.message)) figures.failedClear++;
    else {
      figures.failedUnclear++;
      findings.push(`unclear: op ${c.op} ${c.kind}: ${JSON.stringify(c.message)}`);
    }
  }

  const conn = w.clients.conn;
  const creds = await conn.credentials();
  const s3 = new S3Client({ endpoint: w.s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials: creds, maxAttempts: 1 });
  try {
    // Every uploaded object is there with the right bytes, or the user was told it failed.
    for (const u of ledger.uploads) {
      const body = await s3
        .send(new GetObjectCommand({ Bucket: DATA_BUCKET, Key: u.key }))
        .then(async (o) => Buffer.from(await o.Body!.transformToByteArray()))
        .catch((e: { name?: string }) => {
          if (e.name === 'NoSuchKey') return undefined;
          throw e;
        });
      const del = ledger.deletes.find((d) => d.key === u.key);
      if (body && sha(body) !== u.sha) lost(`s3://${DATA_BUCKET}/${u.key} (op ${u.op}) holds ${body.length} bytes that are not the ${u.size} uploaded`);
      if (!body && u.done && !del) lost(`s3://${DATA_BUCKET}/${u.key} (op ${u.op}) was reported uploaded but is not there`);
      if (body && del?.done) lost(`s3://${DATA_BUCKET}/${u.key} was reported deleted (op ${del.op}) but is still there`);
    }
    // No multipart upload left open.
    const open = await s3.send(new ListMultipartUploadsCommand({ Bucket: DATA_BUCKET }));
    for (const up of open.Uploads ?? []) {
      figures.orphaned++;
      findings.push(`orphaned: multipart upload ${up.UploadId} for ${up.Key} is still open`);
    }
  } finally {
    s3.destroy();
  }

  // No partial local file left as if complete, and no temporary file left behind.
  for (const d of ledger.downloads) {
    for (const f of d.files) {
      const local = path.join(d.dir, ...f.rel.split('/'));
      if (!fs.existsSync(local)) {
        if (d.done) lost(`download op ${d.op} reported ${f.rel} done but there is no local file`);
        continue;
      }
      if (sha(fs.readFileSync(local)) !== f.sha)
        lost(`download op ${d.op}: ${local} is there but its bytes are not the object's (${d.done ? 'reported done' : 'reported failed'})`);
    }
  }
  for (const e of ledger.exports) {
    if (!fs.existsSync(e.file)) {
      if (e.done) lost(`export op ${e.op} reported done but ${e.file} is not there`);
      continue;
    }
    const lines = fs.readFileSync(e.file, 'utf8').split('\n').filter(Boolean);
    if (lines.length !== e.rows + 1 || !lines.at(-1)?.includes(`op${e.op}`))
      lost(`export op ${e.op}: ${e.file} has ${lines.length} lines, not ${e.rows + 1} (${e.done ? 'reported done' : 'reported failed'})`);
  }
  for (const f of walkFiles(path.join(w.root, 'local'))) {
    if (/\.ferry-(part|tmp)$/.test(f)) {
      figures.orphaned++;
      findings.push(`orphaned: temporary file ${f}`);
    }
  }

  // Pushed files are in the workspace with the bytes pushed.
  const dbAdmin = w.adminRoots.find((a) => a.name === 'Databricks')!;
  const dbUrl = dbAdmin.root.replace(/\/__admin$/, '');
  const dbGet = async <T>(p: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${dbUrl}${p}`, { headers: { Authorization: `Bearer ${dbAdmin.token}` } });
    return { status: res.status, body: (await res.json()) as T };
  };
  for (const p of ledger.pushes) {
    const r = await dbGet<{ content?: string }>(`/api/2.0/workspace/export?path=${encodeURIComponent(p.remote)}&format=AUTO`);
    const text = r.status === 200 ? Buffer.from(r.body.content ?? '', 'base64').toString('utf8') : undefined;
    if (text !== undefined && sha(text) !== p.sha) lost(`push op ${p.op}: ${p.remote} holds other bytes than the file pushed`);
    if (text === undefined && p.done) lost(`push op ${p.op}: ${p.remote} was reported pushed but is not in the workspace (${r.status})`);
  }

  // No job run submitted twice; a run reported done was submitted.
  const runsByName = new Map<string, number>();
  for (let token: string | undefined, i = 0; i < 1000; i++) {
    const r = await dbGet<{ runs?: Array<{ run_name?: string }>; next_page_token?: string }>(
      `/api/2.1/jobs/runs/list?run_type=SUBMIT_RUN&limit=25${token ? `&page_token=${encodeURIComponent(token)}` : ''}`,
    );
    for (const run of r.body.runs ?? []) runsByName.set(run.run_name ?? '', (runsByName.get(run.run_name ?? '') ?? 0) + 1);
    token = r.body.next_page_token;
    if (!token) break;
  }
  for (const j of ledger.jobs) {
    const n = runsByName.get(j.runName) ?? 0;
    if (n > 1) {
      figures.duplicated += n - 1;
      findings.push(`duplicated: job run "${j.runName}" was submitted ${n} times`);
    }
    if (n === 0 && j.done) lost(`job op ${j.op} reported a run that the workspace does not have`);
  }

  // No command executed twice: the stand-in's own log of commands/execute, by the texts Ferry sent.
  const log = await adminCall<{ executes: Array<{ sha256: string }> }>(dbAdmin.root, dbAdmin.token, 'GET', '/execution');
  const executes = new Map<string, number>();
  for (const e of log.executes) executes.set(e.sha256, (executes.get(e.sha256) ?? 0) + 1);
  const runCommands = new Set(w.executed.filter((t) => t.includes("['ferry_runtime'].run(")).map((t) => sha(t)));
  for (const s of runCommands) {
    const n = executes.get(s) ?? 0;
    if (n > 1) {
      figures.duplicated += n - 1;
      findings.push(`duplicated: a run command (sha256 ${s.slice(0, 12)}) was executed ${n} times on the cluster`);
    }
  }

  // No query started twice: Athena's own execution list, by each operation's tag.
  const athenaAdmin = w.adminRoots.find((a) => a.name === 'Athena')!;
  const athena = new AthenaClient({ endpoint: athenaAdmin.root.replace(/\/__admin$/, ''), region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  try {
    const perTag = new Map<string, number>();
    for (let next: string | undefined, i = 0; i < 10_000; i++) {
      const page = await athena.send(new ListQueryExecutionsCommand({ WorkGroup: 'primary', MaxResults: 50, NextToken: next }));
      const ids = page.QueryExecutionIds ?? [];
      if (ids.length) {
        const got = await athena.send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: ids }));
        for (const q of got.QueryExecutions ?? []) {
          const tag = /'(op\d+)' AS tag/.exec(q.Query ?? '')?.[1];
          if (tag) perTag.set(tag, (perTag.get(tag) ?? 0) + 1);
        }
      }
      next = page.NextToken;
      if (!next) break;
    }
    for (const q of ledger.queries) {
      const n = perTag.get(q.tag) ?? 0;
      if (n > 1) {
        figures.duplicated += n - 1;
        findings.push(`duplicated: the query of op ${q.op} was started ${n} times`);
      }
      if (n === 0 && q.done) lost(`query op ${q.op} reported done but Athena never ran it`);
    }
  } finally {
    athena.destroy();
  }

  // No secret in the log file or in any message shown.
  const shown = claims.map((c: Claim) => c.message ?? '').join('\n');
  const logText = fs.existsSync(w.logFile) ? fs.readFileSync(w.logFile, 'utf8') : '';
  for (const [where, text] of [
    ['the log file', logText],
    ['a message shown', shown],
  ] as const) {
    for (const s of w.secrets) {
      const n = text.split(s).length - 1;
      if (n) {
        figures.leaked += n;
        findings.push(`leaked: a secret (${s.slice(0, 4)}…) appears ${n} times in ${where}`);
      }
    }
    for (const re of [/X-Amz-Signature=(?!\*\*\*)[0-9a-f]{16,}/g, /Bearer (?!\*\*\*)[A-Za-z0-9._~+/=-]{12,}/g, /Credential=AKIA(?!\*\*\*)/g]) {
      const n = (text.match(re) ?? []).length;
      if (n) {
        figures.leaked += n;
        findings.push(`leaked: ${re.source} matches ${n} times in ${where}`);
      }
    }
  }
  return { figures, findings, logLines: logText.split('\n').filter(Boolean).length };
}

/** The one table a run prints. */
export function formatTable(f: Figures, title: string): string {
  const rows: Array<[string, number, string]> = [
    ['operations', f.operations, ''],
    ['completed', f.completed, ''],
    ['failed, with a clear message', f.failedClear, ''],
    ['failed, unclear message', f.failedUnclear, 'must be 0'],
    ['lost', f.lost, 'must be 0'],
    ['duplicated', f.duplicated, 'must be 0'],
    ['orphaned', f.orphaned, 'must be 0'],
    ['leaked', f.leaked, 'must be 0'],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  return [
    title,
    `| ${'figure'.padEnd(w)} | ${'count'.padStart(6)} |           |`,
    `|${'-'.repeat(w + 2)}|${'-'.repeat(8)}|-----------|`,
    ...rows.map(([k, v, note]) => `| ${k.padEnd(w)} | ${String(v).padStart(6)} | ${note.padEnd(9)} |`),
  ].join('\n');
}
