import { crc32, deflateRawSync } from "node:zlib";

/**
 * Zips byte by byte, for what yazl will not (or not quickly) write: 100,000 entries, names that
 * climb out or are not UTF-8, symbolic links, sizes that lie.
 */
export interface RawEntry {
  /** A string is written as UTF-8 with the UTF-8 flag; a Buffer as is, without it. */
  name: string | Buffer;
  data: Buffer | string;
  /** Unix mode, e.g. 0o120777 for a symbolic link (its data is the link's target). */
  mode?: number;
  /** Deflate the data (default: stored). */
  deflate?: boolean;
}

const UTF8_FLAG = 0x0800;

/** A zip archive of the entries, in order, without data descriptors, zip64 or comments. */
export const rawZip = (entries: readonly RawEntry[]): Buffer => {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = typeof entry.name === "string" ? Buffer.from(entry.name, "utf8") : entry.name;
    const data = typeof entry.data === "string" ? Buffer.from(entry.data, "utf8") : entry.data;
    const body = entry.deflate ? deflateRawSync(data) : data;
    const flags = typeof entry.name === "string" ? UTF8_FLAG : 0;
    const method = entry.deflate ? 8 : 0;
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode in the external attributes counts
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  // More than 65,535 entries: 0xffff here, the count in the zip64 records below.
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  if (entries.length <= 0xffff) return Buffer.concat([...locals, directory, end]);
  const zip64End = Buffer.alloc(56);
  zip64End.writeUInt32LE(0x06064b50, 0);
  zip64End.writeBigUInt64LE(44n, 4);
  zip64End.writeUInt16LE((3 << 8) | 45, 12);
  zip64End.writeUInt16LE(45, 14);
  zip64End.writeBigUInt64LE(BigInt(entries.length), 24);
  zip64End.writeBigUInt64LE(BigInt(entries.length), 32);
  zip64End.writeBigUInt64LE(BigInt(directory.length), 40);
  zip64End.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([...locals, directory, zip64End, locator, end]);
};

/** The offset of the (only) central directory record of a zip with one entry. */
const centralRecord = (zip: Buffer): number => {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  return zip.readUInt32LE(end + 16);
};

/** A copy of a one-entry zip whose central directory claims `size` bytes uncompressed: a lying bomb. */
export const withDeclaredSize = (zip: Buffer, size: number): Buffer => {
  const copy = Buffer.from(zip);
  copy.writeUInt32LE(size, centralRecord(copy) + 24);
  return copy;
};

/** A copy of a one-entry zip with the first byte of its entry's data replaced. */
export const withDataByte = (zip: Buffer, byte: number): Buffer => {
  const copy = Buffer.from(zip);
  const local = copy.readUInt32LE(centralRecord(copy) + 42);
  const dataStart = local + 30 + copy.readUInt16LE(local + 26) + copy.readUInt16LE(local + 28);
  copy[dataStart] = byte;
  return copy;
};
