// The editor side of the network module: reads VS Code's http.* settings and ferry.network.caFile,
// builds the NetworkProfile every client takes its agents from, and rebuilds it (clients follow)
// when one of them changes. Problems with a setting are shown once, with a way to fix them.
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { ui } from './messages';
import { Logger } from '../core/logger';
import { NetworkProfile, NetworkSettings, NetworkSource } from '../core/network';
import { SettingsService } from './settings';

const HTTP_KEYS = ['http.proxy', 'http.proxyStrictSSL', 'http.noProxy', 'http.proxyAuthorization', 'http.systemCertificates'];

function expandHome(file: string): string {
  const f = file.trim();
  if (f === '~' || f.startsWith('~/') || f.startsWith('~\\')) return path.join(os.homedir(), f.slice(1));
  return f;
}

export function readNetworkSettings(settings: SettingsService): NetworkSettings {
  const http = vscode.workspace.getConfiguration('http');
  const noProxy = http.get<unknown>('noProxy');
  const auth = http.get<unknown>('proxyAuthorization');
  return {
    proxy: String(http.get<string>('proxy') ?? ''),
    noProxy: Array.isArray(noProxy) ? noProxy.filter((x): x is string => typeof x === 'string') : [],
    strictSSL: http.get<boolean>('proxyStrictSSL') !== false,
    proxyAuthorization: typeof auth === 'string' ? auth : '',
    systemCertificates: http.get<boolean>('systemCertificates') !== false,
    caFile: expandHome(settings.get('network.caFile')),
  };
}

export class EditorNetworkSource implements NetworkSource, vscode.Disposable {
  private profile: NetworkProfile;
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly shown = new Set<string>();

  constructor(
    private readonly settings: SettingsService,
    private readonly logger: Logger,
  ) {
    this.profile = this.build();
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (HTTP_KEYS.some((k) => e.affectsConfiguration(k))) this.rebuild();
      }),
      settings.onDidChange((keys) => {
        if (keys.includes('network.caFile')) this.rebuild();
      }),
    );
  }

  current(): NetworkProfile {
    return this.profile;
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.emitter.event(listener);
  }

  private rebuild(): void {
    this.profile = this.build();
    this.emitter.fire();
  }

  private build(): NetworkProfile {
    const profile = new NetworkProfile(readNetworkSettings(this.settings), process.env);
    this.logger.info(`network: ${profile.describe()}`);
    const problems = [...profile.trust.warnings, ...(profile.problem ? [profile.problem.message] : [])];
    for (const text of problems) {
      this.logger.warn(`network: ${text}`);
      if (this.shown.has(text)) continue;
      this.shown.add(text);
      void ui.warn(`Ferry: ${text}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', text.includes('caFile') ? 'ferry.network.caFile' : 'http.proxy');
      });
    }
    return profile;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}
