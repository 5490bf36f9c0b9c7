// Which certificate authorities Ferry's TLS connections trust. Node trusts its bundled roots and,
// when the editor started with it, NODE_EXTRA_CA_CERTS; VS Code adds the system store to
// connections that name no CA list of their own. As soon as Ferry names one (to add
// ferry.network.caFile), both of those are lost, so the list is rebuilt here in full: Node's
// roots, the system store where this Node can read it, NODE_EXTRA_CA_CERTS (read again, so a
// value set after start counts too) and ferry.network.caFile.
import crypto from 'node:crypto';
import fs from 'node:fs';
import tls from 'node:tls';
import type { Env } from './proxy';

export interface TrustSettings {
  /** ferry.network.caFile: a PEM (or DER) file with one or more CA certificates. */
  caFile: string;
  /** http.systemCertificates: also trust the operating system's store. */
  systemCertificates: boolean;
}

export interface TrustIo {
  readFile(file: string): Buffer;
  platform: NodeJS.Platform;
  /** The system store, where the runtime offers it (Node 22.15+ has tls.getCACertificates). */
  systemCertificates(): string[] | undefined;
}

export const nodeTrustIo: TrustIo = {
  readFile: (file) => fs.readFileSync(file),
  platform: process.platform,
  // Node 22.15+ reads the operating system's store itself (Windows, macOS, Linux); older Node
  // cannot without native code, so there the system store comes only from the editor's own
  // http.systemCertificates (for connections that name no CA list).
  systemCertificates: () => {
    const get = (tls as unknown as { getCACertificates?: (type: string) => string[] }).getCACertificates;
    return typeof get === 'function' ? get('system') : undefined;
  },
};

export interface Trust {
  /** The full CA list for TLS options; undefined leaves Node's (and the editor's) defaults alone. */
  ca?: string[];
  /** What was added, for the log: `ferry.network.caFile: 1 certificate`. */
  added: string[];
  /** Problems to show the user (a CA file that cannot be read); the rest still applies. */
  warnings: string[];
}

export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** The certificates of a PEM or DER file; throws with a sentence a user can act on. */
export function readCertificates(file: string, io: TrustIo, source: string): string[] {
  let data: Buffer;
  try {
    data = io.readFile(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new Error(`${source} names ${file}, which cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? String(err))})`, { cause: err });
  }
  const pems = splitPem(data.toString('utf8'));
  const certs: string[] = [];
  if (pems.length === 0) {
    // A single DER certificate (.cer/.crt exported from a Windows or macOS store).
    try {
      certs.push(new crypto.X509Certificate(data).toString());
    } catch {
      throw new Error(`${source} (${file}) holds no certificate: expected PEM text starting with -----BEGIN CERTIFICATE-----`);
    }
    return certs;
  }
  for (const [i, pem] of pems.entries()) {
    try {
      new crypto.X509Certificate(pem);
    } catch {
      throw new Error(`${source} (${file}): certificate ${i + 1} of ${pems.length} is damaged and cannot be read`);
    }
    certs.push(pem);
  }
  return certs;
}

export function loadTrust(settings: TrustSettings, env: Env, io: TrustIo = nodeTrustIo): Trust {
  const extra: string[] = [];
  const added: string[] = [];
  const warnings: string[] = [];
  const take = (file: string | undefined, source: string): void => {
    if (!file?.trim()) return;
    try {
      const certs = readCertificates(file.trim(), io, source);
      extra.push(...certs);
      added.push(`${source}: ${certs.length} certificate${certs.length === 1 ? '' : 's'}`);
    } catch (err) {
      warnings.push(err instanceof Error ? err.message : String(err));
    }
  };
  take(env.NODE_EXTRA_CA_CERTS, 'NODE_EXTRA_CA_CERTS');
  take(settings.caFile, 'ferry.network.caFile');
  if (extra.length === 0) return { added, warnings };
  let system: string[] = [];
  if (settings.systemCertificates) {
    system = io.systemCertificates() ?? [];
    added.push(
      system.length ? `system store: ${system.length} certificates` : 'system store: not readable by this Node (only the CAs above are added to its own roots)',
    );
  }
  const ca = [...new Set([...tls.rootCertificates, ...system, ...extra])];
  return { ca, added, warnings };
}
