// The local stand-ins the editor tests run against: the same services `npm run sandbox` starts.
import path from 'node:path';
import { startSandboxServices, SandboxServices } from '../../../sandbox/services';

export type StandIns = SandboxServices;

export async function startStandIns(root: string): Promise<StandIns> {
  return startSandboxServices({ root: path.join(root, 'services') });
}
