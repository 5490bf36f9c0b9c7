// ferry.aws.selectRegion: choose the AWS region. Changing it rebuilds the clients and refreshes
// the S3 and Athena views (through the settings).
import { SettingsService } from '../../editor/settings';
import { ui } from '../../editor/messages';
import { FerryCommand } from '../types';

const COMMON_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
  'ca-central-1',
];

export function selectRegionCommand(settings: SettingsService): FerryCommand {
  return {
    id: 'ferry.aws.selectRegion',
    run: async () => {
      const current = settings.get('aws.region');
      const choice = await ui.pick([...new Set([current, ...COMMON_REGIONS])], { title: 'Choose AWS Region', placeHolder: `Current: ${current}` });
      if (choice && choice !== current) await settings.update('aws.region', choice);
    },
  };
}
