// Ferry's PII guard, the service side: detection (scan.ts, checks.ts, columnNames.ts), masking
// (mask.ts), per-table verdicts as rows are shown (tableGuard.ts) and the scan of a local data file
// before it leaves the machine (fileScan.ts). No editor API: the result viewer, the Session view
// and the upload/push commands use it, and it is unit-tested in plain Node.
export * from './kinds';
export { findPii, valueKind, cannotHoldPii } from './scan';
export type { PiiSpan, ScanOptions } from './scan';
export { maskGeneric, maskSpans, maskText, maskValue } from './mask';
export { columnNameKind, nameTokens } from './columnNames';
export { PiiTableGuard } from './tableGuard';
export type { ColumnVerdict, GuardCell, GuardColumn } from './tableGuard';
