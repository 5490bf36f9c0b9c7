import * as vscode from 'vscode';
import { FerrySettings, readSettings, SettingKey } from '../core/config';

/** The current Ferry settings, re-read when the user changes them, with an event per change. */
export class SettingsService implements vscode.Disposable {
  private current: FerrySettings;
  private readonly emitter = new vscode.EventEmitter<SettingKey[]>();
  private readonly subscription: vscode.Disposable;
  /** Fires with the keys that changed. */
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.current = readSettings(vscode.workspace.getConfiguration('ferry'));
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('ferry')) return;
      const before = this.current;
      this.current = readSettings(vscode.workspace.getConfiguration('ferry'));
      const changed = (Object.keys(before) as SettingKey[]).filter((k) => before[k] !== this.current[k]);
      if (changed.length) this.emitter.fire(changed);
    });
  }

  get value(): FerrySettings {
    return this.current;
  }

  get<K extends SettingKey>(key: K): FerrySettings[K] {
    return this.current[key];
  }

  /** A setting as it applies to one file (a `resource`-scoped setting may differ per folder). */
  forResource<K extends SettingKey>(key: K, resource: vscode.Uri | undefined): FerrySettings[K] {
    return resource ? readSettings(vscode.workspace.getConfiguration('ferry', resource))[key] : this.current[key];
  }

  async update<K extends SettingKey>(key: K, value: FerrySettings[K], target = vscode.ConfigurationTarget.Global): Promise<void> {
    await vscode.workspace.getConfiguration('ferry').update(key, value, target);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
