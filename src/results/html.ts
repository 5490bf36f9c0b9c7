// The viewer's HTML: a strict CSP, one nonce from crypto.randomBytes for the bundle and for the
// lazily loaded chart chunk, and no data in the markup (the data comes later by message).
import { randomBytes } from 'node:crypto';

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export interface HtmlParts {
  cspSource: string;
  scriptUri: string;
  /** Base URI of dist/webviews/, for webpack's chunk loading (__webpack_public_path__). */
  assetBase: string;
  nonce: string;
}

export function contentSecurityPolicy(parts: Pick<HtmlParts, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${parts.nonce}'`,
    `style-src ${parts.cspSource} 'nonce-${parts.nonce}'`,
    `img-src ${parts.cspSource} data:`,
    `font-src ${parts.cspSource}`,
  ].join('; ');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function viewerHtml(parts: HtmlParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(parts))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="ferry-asset-base" content="${attr(parts.assetBase)}">
<meta name="ferry-nonce" content="${attr(parts.nonce)}">
<title>Ferry results</title>
</head>
<body>
<div id="ferry-results" role="main"></div>
<script nonce="${attr(parts.nonce)}" src="${attr(parts.scriptUri)}"></script>
</body>
</html>`;
}
