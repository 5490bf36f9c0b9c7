// A pure-Python wheel built in memory (a stored zip with the module, METADATA, WHEEL and RECORD),
// so a test can hand the stand-in a dependency to install offline without a build tool.
import { createHash } from 'node:crypto';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive whose entries are stored (not compressed). */
function storedZip(files: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(f.data.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, f.data);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(f.data.length, 20);
    dir.writeUInt32LE(f.data.length, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    offset += local.length + name.length + f.data.length;
  }
  const dirBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dirBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBuf, end]);
}

/** `<module>-<version>-py3-none-any.whl` holding `<module>/__init__.py` with `source`. */
export function pureWheel(module: string, version: string, source: string): { name: string; bytes: Buffer } {
  const distInfo = `${module}-${version}.dist-info`;
  const files = [
    { name: `${module}/__init__.py`, data: Buffer.from(source) },
    { name: `${distInfo}/METADATA`, data: Buffer.from(`Metadata-Version: 2.1\nName: ${module}\nVersion: ${version}\n`) },
    { name: `${distInfo}/WHEEL`, data: Buffer.from('Wheel-Version: 1.0\nGenerator: ferry-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n') },
  ];
  const hash = (d: Buffer) => `sha256=${createHash('sha256').update(d).digest('base64url')}`;
  const record = [...files.map((f) => `${f.name},${hash(f.data)},${f.data.length}`), `${distInfo}/RECORD,,`].join('\n') + '\n';
  files.push({ name: `${distInfo}/RECORD`, data: Buffer.from(record) });
  return { name: `${module}-${version}-py3-none-any.whl`, bytes: storedZip(files) };
}
