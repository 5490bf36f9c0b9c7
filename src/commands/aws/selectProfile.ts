// ferry.aws.selectProfile: choose the AWS profile (the region: selectRegion.ts). Changing it
// rebuilds the clients and refreshes the S3 and Athena views (through the settings).
import * as vscode from 'vscode';
import { SettingsAwsConnectionSource } from '../../aws/awsConnection';
import { listProfiles } from '../../aws/profiles';
import { SettingsService } from '../../editor/settings';
import { FerryCommand } from '../types';
import { ui } from '../../editor/messages';

export function selectProfileCommand(settings: SettingsService, connection: SettingsAwsConnectionSource): FerryCommand {
  return {
    id: 'ferry.aws.selectProfile',
    run: async () => {
      const current = settings.get('aws.profile');
      const items: Array<vscode.QuickPickItem & { profile: string }> = [
        { label: '$(key) Default credential chain', description: 'environment, default profile, SSO, instance role', profile: '' },
        ...(await listProfiles()).map((p) => ({ label: p.name, description: [p.kind, p.region].filter(Boolean).join(' · '), profile: p.name })),
      ];
      for (const i of items) if (i.profile === current) i.picked = true;
      const choice = await ui.pick(items, {
        title: 'Choose AWS Profile',
        placeHolder: `Current: ${current || 'default chain'} (from AWS_CONFIG_FILE / ~/.aws)`,
      });
      if (!choice) return;
      if (choice.profile === current) connection.refresh();
      else await settings.update('aws.profile', choice.profile);
    },
  };
}
