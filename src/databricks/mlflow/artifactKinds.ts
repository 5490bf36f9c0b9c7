// How an artifact opens, from its name: a table (the preview readers' formats), an image (VS Code's
// own image preview), text (an editor), or neither (download it). MLflow's model files without an
// extension (MLmodel) are YAML text.
import { previewFormat } from '../../aws/s3/keys';

export type ArtifactKind = 'table' | 'image' | 'text' | 'other';

const IMAGES = /\.(png|jpe?g|gif|svg|webp|bmp|ico)$/i;
const TEXT = /\.(txt|md|markdown|json|ya?ml|log|py|r|sql|sh|toml|ini|cfg|conf|xml|html?|ipynb|tex|rst|properties|env)$/i;
const TEXT_NAMES = new Set(['MLmodel', 'MLproject', 'requirements.txt', 'conda.yaml', 'python_env.yaml', 'LICENSE', 'README']);

export function artifactKind(path: string): ArtifactKind {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (previewFormat(name)) return 'table';
  if (IMAGES.test(name)) return 'image';
  if (TEXT.test(name) || TEXT_NAMES.has(name)) return 'text';
  return 'other';
}

/** The most bytes an artifact may have to be opened in an editor or the image preview (larger ones are downloaded). */
export const MAX_OPEN_BYTES = 50 * 1024 * 1024;
