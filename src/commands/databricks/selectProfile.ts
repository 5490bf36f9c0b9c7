// ferry.databricks.selectProfile: choose the active workspace among profiles, the environment and signed-in hosts.
import os from 'node:os';
import * as vscode from 'vscode';
import { configFilePath } from '../../databricks/config';
import { FerryCommand } from '../types';
import { DatabricksCommandDeps } from './shared';
import { ui } from '../../editor/messages';
import { runFerryCommand } from '../../editor/commandArgs';

interface ProfileItem extends vscode.QuickPickItem {
  apply?: () => Promise<void>;
}

/** `ferry.databricks.selectProfile(name?)`: profiles, the environment and signed-in workspaces; one becomes active. */
export function selectProfileCommand(deps: DatabricksCommandDeps): FerryCommand {
  const useProfile = async (name: string) => {
    await deps.settings.update('databricks.profile', name);
    await deps.connection.use({ kind: 'config' });
  };
  return {
    id: 'ferry.databricks.selectProfile',
    run: async (nameArg?: unknown) => {
      if (typeof nameArg === 'string' && nameArg) {
        await useProfile(nameArg);
        return nameArg;
      }
      const items: ProfileItem[] = [];
      try {
        for (const o of await deps.connection.options()) {
          const check = o.active ? '$(check) ' : '';
          if (o.kind === 'profile')
            items.push({ label: `${check}${o.name}`, description: o.host ?? '(no host)', detail: o.detail, apply: () => useProfile(o.name) });
          else if (o.kind === 'env') items.push({ label: `${check}Environment`, description: o.host, detail: o.detail, apply: () => useProfile('') });
          else if (o.kind === 'oauth')
            items.push({
              label: `${check}${o.name}`,
              description: 'signed in with OAuth',
              detail: o.detail,
              apply: () => deps.connection.use({ kind: 'oauth', host: o.name }),
            });
          else
            items.push({
              label: `${check}${o.name}`,
              description: 'signed in',
              detail: o.detail,
              apply: () => deps.connection.use({ kind: 'signedIn', host: o.name }),
            });
        }
      } catch (err) {
        const file = configFilePath(process.env, os.homedir());
        items.push({
          label: '$(error) The Databricks config file cannot be read',
          detail: err instanceof Error ? err.message : String(err),
          apply: async () => void (await vscode.window.showTextDocument(vscode.Uri.file(file))),
        });
      }
      items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
      items.push({ label: '$(sign-in) Sign in to a workspace…', apply: async () => void (await runFerryCommand('ferry.databricks.signIn')) });
      items.push({
        label: '$(globe) Sign in with the browser (OAuth)…',
        apply: async () => void (await runFerryCommand('ferry.databricks.signInWithBrowser')),
      });
      items.push({
        label: '$(go-to-file) Open the Databricks config file',
        description: configFilePath(process.env, os.homedir()),
        apply: async () => void (await vscode.window.showTextDocument(vscode.Uri.file(configFilePath(process.env, os.homedir())))),
      });
      const picked = await ui.pick(items, { placeHolder: 'Choose the active Databricks workspace', matchOnDescription: true });
      await picked?.apply?.();
    },
  };
}
