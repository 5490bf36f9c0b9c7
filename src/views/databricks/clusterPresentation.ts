// How a cluster or a run looks: state icons with theme colours, words, tooltips.
import * as vscode from 'vscode';
import { ClusterDetails, ClusterState, describeCluster, runtimeVersion, workersText } from '../../databricks/clusters';
import { formatDuration, Run, runDuration, RunStatus } from '../../databricks/jobs';

export function stateWord(state: ClusterState | undefined): string {
  if (!state) return 'Unknown';
  return state.charAt(0) + state.slice(1).toLowerCase();
}

export function clusterIcon(state: ClusterState | undefined): vscode.ThemeIcon {
  switch (state) {
    case 'RUNNING':
      return new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('testing.iconPassed'));
    case 'PENDING':
    case 'RESTARTING':
    case 'RESIZING':
      return new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('charts.yellow'));
    case 'TERMINATING':
      return new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('charts.orange'));
    case 'TERMINATED':
      return new vscode.ThemeIcon('vm-outline', new vscode.ThemeColor('disabledForeground'));
    case 'ERROR':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    default:
      return new vscode.ThemeIcon('question', new vscode.ThemeColor('disabledForeground'));
  }
}

function time(ms: number | undefined): string {
  return ms ? new Date(ms).toLocaleString() : '';
}

export function clusterTooltip(c: ClusterDetails, isDefault: boolean): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.supportThemeIcons = true;
  md.appendMarkdown(`**${escapeMd(c.cluster_name ?? c.cluster_id)}**${isDefault ? ' — default cluster' : ''}\n\n`);
  const rows: Array<[string, string | undefined]> = [
    ['State', `${stateWord(c.state)}${c.state_message ? ` — ${c.state_message}` : ''}`],
    ['Cluster ID', c.cluster_id],
    ['Runtime', c.spark_version ? `${runtimeVersion(c.spark_version) ?? ''} (${c.spark_version})` : undefined],
    ['Node type', c.node_type_id],
    ['Driver', c.driver_node_type_id && c.driver_node_type_id !== c.node_type_id ? c.driver_node_type_id : undefined],
    ['Workers', workersText(c)],
    ['Memory / cores', c.cluster_memory_mb ? `${Math.round(c.cluster_memory_mb / 1024)} GB / ${c.cluster_cores ?? '?'} cores` : undefined],
    ['Auto-terminate', c.autotermination_minutes ? `after ${c.autotermination_minutes} min idle` : undefined],
    ['Access mode', c.data_security_mode],
    ['Creator', c.creator_user_name],
    ['Source', c.cluster_source],
    ['Started', time(c.start_time)],
    ['Terminated', c.state === 'TERMINATED' ? time(c.terminated_time) : undefined],
    [
      'Termination',
      c.state === 'TERMINATED' && c.termination_reason?.code
        ? `${c.termination_reason.code}${c.termination_reason.type ? ` (${c.termination_reason.type})` : ''}`
        : undefined,
    ],
  ];
  for (const [k, v] of rows) if (v) md.appendMarkdown(`${k}: ${escapeMd(v)}  \n`);
  return md;
}

export { describeCluster };

export function runIcon(status: RunStatus): vscode.ThemeIcon {
  switch (status) {
    case 'succeeded':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'cancelled':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    case 'skipped':
      return new vscode.ThemeIcon('debug-step-over', new vscode.ThemeColor('disabledForeground'));
    case 'running':
    case 'terminating':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
    case 'queued':
    case 'pending':
      return new vscode.ThemeIcon('clock', new vscode.ThemeColor('charts.yellow'));
    default:
      return new vscode.ThemeIcon('question');
  }
}

export function runStatusWord(status: RunStatus): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}

export function runDescription(run: Run, status: RunStatus, now = Date.now()): string {
  const start = run.start_time
    ? new Date(run.start_time).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
    : '';
  const d = formatDuration(runDuration(run, now));
  return [runStatusWord(status), start, d].filter(Boolean).join(' · ');
}

export function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
