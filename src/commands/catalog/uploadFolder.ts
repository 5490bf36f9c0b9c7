// ferry.catalog.uploadFolder: local folders, with everything in them, into a volume or a folder on one.
import { FerryCommand } from '../types';
import { CatalogCommandContext } from './context';
import { uploadChosen } from './upload';

export function uploadFolderCommand(ctx: CatalogCommandContext): FerryCommand {
  return { id: 'ferry.catalog.uploadFolder', run: uploadChosen(ctx, true) };
}
