#!/usr/bin/python3
"""Checks an MCAP recording independently of the TypeScript code that wrote it.

Written from the MCAP format specification (https://mcap.dev/spec) with the Python 3 standard
library and python3-zstandard (Debian), so it shares no code with @mcap/core:

- the magic bytes at both ends, then every record of the data section in order (Header first,
  DataEnd last, Footer before the closing magic), each within the file;
- every Chunk decompressed on its own, its uncompressed size and CRC-32 checked, and the records in
  it walked (only Schema, Channel and Message may be there; every message's channel is known);
- every Message Index points at a Message record of its channel and log time in the chunk before it;
- the DataEnd's data-section CRC, the summary's CRC, each Chunk Index pointing at a real chunk (same
  offset, length, compression and sizes) and at the Message Index records after it, the Summary
  Offsets and the Statistics' counts;
- the ros2 profile: profile 'ros2', schema encoding 'ros2msg', message encoding 'cdr'.

Prints JSON {"channels": {topic: count}, "messages": n, "chunks": n, "compression": "zstd",
"errors": []}. Exits 0 when the file is whole, 1 with the byte offset of the first problem on
stderr (every problem is in "errors"), 2 for a wrong invocation.

usage: mcap_check.py FILE.mcap
"""

import json
import struct
import sys
import zlib

try:
    import zstandard  # python3-zstandard: only zstd chunks need it
except ImportError:
    zstandard = None

MAGIC = b"\x89MCAP0\r\n"

OP_HEADER, OP_FOOTER, OP_SCHEMA, OP_CHANNEL, OP_MESSAGE, OP_CHUNK = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06
OP_MESSAGE_INDEX, OP_CHUNK_INDEX, OP_ATTACHMENT, OP_ATTACHMENT_INDEX = 0x07, 0x08, 0x09, 0x0A
OP_STATISTICS, OP_METADATA, OP_METADATA_INDEX, OP_SUMMARY_OFFSET, OP_DATA_END = 0x0B, 0x0C, 0x0D, 0x0E, 0x0F

OP_NAMES = {
    OP_HEADER: "Header", OP_FOOTER: "Footer", OP_SCHEMA: "Schema", OP_CHANNEL: "Channel",
    OP_MESSAGE: "Message", OP_CHUNK: "Chunk", OP_MESSAGE_INDEX: "MessageIndex",
    OP_CHUNK_INDEX: "ChunkIndex", OP_ATTACHMENT: "Attachment", OP_ATTACHMENT_INDEX: "AttachmentIndex",
    OP_STATISTICS: "Statistics", OP_METADATA: "Metadata", OP_METADATA_INDEX: "MetadataIndex",
    OP_SUMMARY_OFFSET: "SummaryOffset", OP_DATA_END: "DataEnd",
}
CHUNK_RECORDS = {OP_SCHEMA, OP_CHANNEL, OP_MESSAGE}
# Records the summary section may hold (Schema and Channel repeated, then indexes and statistics).
SUMMARY_RECORDS = {OP_SCHEMA, OP_CHANNEL, OP_CHUNK_INDEX, OP_ATTACHMENT_INDEX, OP_STATISTICS, OP_METADATA_INDEX}


class Problem(Exception):
    """A problem at a byte offset of the file."""

    def __init__(self, offset, what):
        super().__init__(what)
        self.offset = offset
        self.what = what


def op_name(opcode):
    return OP_NAMES.get(opcode, "unknown opcode 0x%02x" % opcode)


class Fields:
    """Reads a record's fields (little-endian, as the spec says) and says where one runs over."""

    def __init__(self, data, base):
        self.data = data
        self.base = base  # the file offset of data[0], for error messages
        self.pos = 0

    def take(self, n, what):
        if self.pos + n > len(self.data):
            raise Problem(self.base + self.pos, "%s runs past the end of its record" % what)
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u8(self, what):
        return self.take(1, what)[0]

    def u16(self, what):
        return struct.unpack("<H", self.take(2, what))[0]

    def u32(self, what):
        return struct.unpack("<I", self.take(4, what))[0]

    def u64(self, what):
        return struct.unpack("<Q", self.take(8, what))[0]

    def string(self, what):
        return self.take(self.u32(what + " length"), what).decode("utf-8", errors="replace")

    def bytes32(self, what):
        return self.take(self.u32(what + " length"), what)

    def bytes64(self, what):
        return self.take(self.u64(what + " length"), what)

    def string_map(self, what):
        sub = Fields(self.bytes32(what), self.base + self.pos)
        out = {}
        while sub.pos < len(sub.data):
            key = sub.string(what + " key")
            out[key] = sub.string(what + " value")
        return out

    def id_u64_map(self, what):
        sub = Fields(self.bytes32(what), self.base + self.pos)
        out = {}
        while sub.pos < len(sub.data):
            key = sub.u16(what + " key")
            out[key] = sub.u64(what + " value")
        return out


def records(data, start, end, base=0):
    """Yields (offset, opcode, body) for each record in data[start:end]; offsets are base + index."""
    pos = start
    while pos < end:
        if end - pos < 9:
            raise Problem(base + pos, "%d bytes left, less than a record's 9-byte prefix" % (end - pos))
        opcode = data[pos]
        length = struct.unpack_from("<Q", data, pos + 1)[0]
        if pos + 9 + length > end:
            raise Problem(base + pos, "%s record of %d bytes runs past the end (%d bytes left): cut short"
                          % (op_name(opcode), length, end - pos - 9))
        yield base + pos, opcode, data[pos + 9:pos + 9 + length]
        pos += 9 + length


class Checker:
    def __init__(self, data):
        self.data = data
        self.errors = []  # (offset, what)
        self.schemas = {}  # id -> (name, encoding)
        self.channels = {}  # id -> topic
        self.counts = {}  # channel id -> messages
        self.chunks = {}  # offset -> {"length", "compression", "compressed", "uncompressed", "messages"}
        self.message_indexes = {}  # offset -> channel id
        self.compressions = set()
        self.metadata = set()  # offsets of Metadata records
        self.profile = None
        self.data_end = None  # offset of the DataEnd record

    def problem(self, offset, what):
        self.errors.append((offset, what))

    # ---- the data section ------------------------------------------------------------------------

    def check(self):
        data = self.data
        if len(data) < 2 * len(MAGIC) or data[:len(MAGIC)] != MAGIC:
            self.problem(0, "not an MCAP file: it does not begin with the MCAP magic bytes")
            return
        closing_ok = data[-len(MAGIC):] == MAGIC
        if not closing_ok:
            self.problem(len(data) - len(MAGIC), "the file does not end with the MCAP magic bytes (cut short?)")
        footer = None
        last_chunk = None
        try:
            for offset, opcode, body in records(data, len(MAGIC), len(data) - (len(MAGIC) if closing_ok else 0)):
                if offset == len(MAGIC) and opcode != OP_HEADER:
                    self.problem(offset, "the first record is a %s, not a Header" % op_name(opcode))
                if opcode == OP_FOOTER:
                    footer = (offset, body)
                    if offset + 9 + len(body) != len(data) - len(MAGIC):
                        self.problem(offset, "the Footer is not the last record before the closing magic")
                    break
                if self.data_end is not None:
                    continue  # the summary section: checked from the footer's offsets below
                last_chunk = self.data_record(offset, opcode, body, last_chunk)
        except Problem as p:
            self.problem(p.offset, p.what)
        if footer is None:
            if closing_ok:
                self.problem(len(data) - len(MAGIC), "no Footer record before the closing magic")
            return
        self.check_summary(*footer)

    def data_record(self, offset, opcode, body, last_chunk):
        """Checks one top-level record; returns the offset of the chunk a Message Index may follow."""
        f = Fields(body, offset + 9)
        try:
            if opcode == OP_HEADER:
                self.profile = f.string("profile")
                f.string("library")
                if self.profile != "ros2":
                    self.problem(offset, "profile '%s', expected 'ros2'" % self.profile)
            elif opcode in CHUNK_RECORDS:
                self.chunk_record(offset, opcode, body, None)
            elif opcode == OP_CHUNK:
                self.chunk(offset, f)
                return offset
            elif opcode == OP_MESSAGE_INDEX:
                self.message_index(offset, f, last_chunk)
                return last_chunk
            elif opcode == OP_METADATA:
                self.metadata.add(offset)
            elif opcode == OP_DATA_END:
                crc = f.u32("data_section_crc")
                if crc != 0 and zlib.crc32(self.data[:offset]) != crc:
                    self.problem(offset, "DataEnd: the data section's CRC-32 is %08x, the record says %08x"
                                 % (zlib.crc32(self.data[:offset]), crc))
                self.data_end = offset
            elif opcode not in OP_NAMES:
                pass  # the spec lets readers skip records they do not know
        except Problem as p:
            self.problem(p.offset, "%s: %s" % (op_name(opcode), p.what))
        return None

    def chunk(self, offset, f):
        f.u64("message_start_time")
        f.u64("message_end_time")
        size = f.u64("uncompressed_size")
        crc = f.u32("uncompressed_crc")
        compression = f.string("compression")
        compressed = f.bytes64("records")
        self.compressions.add(compression or "none")
        info = {"length": 9 + len(f.data), "compression": compression, "compressed": len(compressed),
                "uncompressed": size, "messages": {}}
        self.chunks[offset] = info
        if compression == "zstd":
            if zstandard is None:
                raise Problem(offset, "zstd chunk, but python3-zstandard is not installed")
            try:
                plain = zstandard.ZstdDecompressor().decompress(compressed, max_output_size=size)
            except zstandard.ZstdError as e:
                raise Problem(offset, "zstd data does not decompress: %s" % e)
        elif compression == "":
            plain = compressed
        else:
            raise Problem(offset, "compression '%s' is not checked by this tool" % compression)
        if len(plain) != size:
            raise Problem(offset, "decompressed to %d bytes, the record says %d" % (len(plain), size))
        if crc != 0 and zlib.crc32(plain) != crc:
            raise Problem(offset, "uncompressed CRC-32 is %08x, the record says %08x" % (zlib.crc32(plain), crc))
        try:
            for inner_offset, opcode, body in records(plain, 0, len(plain)):
                if opcode not in CHUNK_RECORDS:
                    raise Problem(inner_offset, "a %s record inside a chunk" % op_name(opcode))
                self.chunk_record(inner_offset, opcode, body, info)
        except Problem as p:
            raise Problem(offset, "at uncompressed byte %d: %s" % (p.offset, p.what))

    def chunk_record(self, offset, opcode, body, chunk):
        f = Fields(body, offset + 9)
        if opcode == OP_SCHEMA:
            sid = f.u16("id")
            name = f.string("name")
            encoding = f.string("encoding")
            f.bytes32("data")
            self.schemas[sid] = (name, encoding)
            if encoding != "ros2msg":
                raise Problem(offset, "Schema %d (%s): encoding '%s', expected 'ros2msg'" % (sid, name, encoding))
        elif opcode == OP_CHANNEL:
            cid = f.u16("id")
            sid = f.u16("schema_id")
            topic = f.string("topic")
            encoding = f.string("message_encoding")
            f.string_map("metadata")
            if sid != 0 and sid not in self.schemas:
                raise Problem(offset, "Channel %d (%s) refers to schema %d, not seen before it" % (cid, topic, sid))
            self.channels[cid] = topic
            self.counts.setdefault(cid, 0)
            if encoding != "cdr":
                raise Problem(offset, "Channel %d (%s): message encoding '%s', expected 'cdr'" % (cid, topic, encoding))
        elif opcode == OP_MESSAGE:
            cid = f.u16("channel_id")
            f.u32("sequence")
            log_time = f.u64("log_time")
            f.u64("publish_time")
            if cid not in self.channels:
                raise Problem(offset, "a Message on channel %d, which no Channel record before it describes" % cid)
            self.counts[cid] += 1
            if chunk is not None:
                chunk["messages"][offset] = (cid, log_time)

    def message_index(self, offset, f, last_chunk):
        cid = f.u16("channel_id")
        entries = Fields(f.bytes32("records"), offset + 15)
        self.message_indexes[offset] = cid
        if last_chunk is None:
            raise Problem(offset, "a Message Index with no Chunk before it")
        messages = self.chunks[last_chunk]["messages"]
        while entries.pos < len(entries.data):
            log_time = entries.u64("log_time")
            at = entries.u64("offset")
            if messages.get(at) != (cid, log_time):
                raise Problem(offset, "Message Index of channel %d: no Message of that channel at log time %d at "
                              "uncompressed byte %d of the chunk at byte %d" % (cid, log_time, at, last_chunk))

    # ---- the summary -----------------------------------------------------------------------------

    def check_summary(self, footer_offset, body):
        if self.data_end is None:
            self.problem(footer_offset, "no DataEnd record ends the data section before the Footer")
        f = Fields(body, footer_offset + 9)
        try:
            summary_start = f.u64("summary_start")
            summary_offset_start = f.u64("summary_offset_start")
            summary_crc = f.u32("summary_crc")
        except Problem as p:
            self.problem(p.offset, "Footer: " + p.what)
            return
        if summary_start == 0:
            return  # a file may have no summary; nothing points anywhere then
        end = summary_offset_start or footer_offset
        if self.data_end is None or summary_start != self.data_end + 13:
            self.problem(footer_offset, "Footer: the summary starts at %d, not right after the DataEnd record" % summary_start)
        if not (0 < summary_start <= end <= footer_offset):
            self.problem(footer_offset, "Footer: summary at %d..%d is not before the footer" % (summary_start, end))
            return
        if summary_crc != 0:
            crc = zlib.crc32(self.data[summary_start:footer_offset + 9 + 16])
            if crc != summary_crc:
                self.problem(footer_offset, "Footer: the summary's CRC-32 is %08x, the footer says %08x" % (crc, summary_crc))
        groups = {}
        try:
            for offset, opcode, rbody in records(self.data, summary_start, end):
                if opcode not in SUMMARY_RECORDS:
                    self.problem(offset, "a %s record in the summary section" % op_name(opcode))
                groups.setdefault(opcode, []).append(offset)
                self.summary_record(offset, opcode, Fields(rbody, offset + 9))
            if summary_offset_start:
                for offset, opcode, rbody in records(self.data, summary_offset_start, footer_offset):
                    self.summary_offset(offset, opcode, Fields(rbody, offset + 9), groups)
        except Problem as p:
            self.problem(p.offset, p.what)

    def summary_record(self, offset, opcode, f):
        try:
            if opcode == OP_CHUNK_INDEX:
                self.chunk_index(offset, f)
            elif opcode == OP_STATISTICS:
                self.statistics(offset, f)
            elif opcode == OP_METADATA_INDEX:
                at = f.u64("offset")
                f.u64("length")
                name = f.string("name")
                if at not in self.metadata:
                    raise Problem(offset, "Metadata '%s' at byte %d is not there" % (name, at))
        except Problem as p:
            self.problem(p.offset, "%s: %s" % (op_name(opcode), p.what))

    def chunk_index(self, offset, f):
        f.u64("message_start_time")
        f.u64("message_end_time")
        start = f.u64("chunk_start_offset")
        length = f.u64("chunk_length")
        index_offsets = f.id_u64_map("message_index_offsets")
        f.u64("message_index_length")
        compression = f.string("compression")
        compressed = f.u64("compressed_size")
        uncompressed = f.u64("uncompressed_size")
        chunk = self.chunks.get(start)
        if chunk is None:
            raise Problem(offset, "points at byte %d, where there is no chunk" % start)
        found = (chunk["length"], chunk["compression"], chunk["compressed"], chunk["uncompressed"])
        if found != (length, compression, compressed, uncompressed):
            raise Problem(offset, "says the chunk at byte %d has (length, compression, compressed, uncompressed) %r, "
                          "it has %r" % (start, (length, compression, compressed, uncompressed), found))
        for cid, at in index_offsets.items():
            if self.message_indexes.get(at) != cid:
                raise Problem(offset, "points at a Message Index of channel %d at byte %d, which is not there" % (cid, at))

    def statistics(self, offset, f):
        messages = f.u64("message_count")
        f.u16("schema_count")
        f.u32("channel_count")
        f.u32("attachment_count")
        f.u32("metadata_count")
        chunks = f.u32("chunk_count")
        f.u64("message_start_time")
        f.u64("message_end_time")
        per_channel = f.id_u64_map("channel_message_counts")
        if messages != sum(self.counts.values()):
            raise Problem(offset, "message_count %d, the file holds %d" % (messages, sum(self.counts.values())))
        if chunks != len(self.chunks):
            raise Problem(offset, "chunk_count %d, the file holds %d" % (chunks, len(self.chunks)))
        for cid, n in per_channel.items():
            if self.counts.get(cid, 0) != n:
                raise Problem(offset, "channel %d has %d messages, the statistics say %d" % (cid, self.counts.get(cid, 0), n))

    def summary_offset(self, offset, opcode, f, groups):
        if opcode != OP_SUMMARY_OFFSET:
            self.problem(offset, "a %s record in the summary offset section" % op_name(opcode))
            return
        group = f.u8("group_opcode")
        start = f.u64("group_start")
        length = f.u64("group_length")
        offsets = groups.get(group, [])
        if not offsets or offsets[0] != start:
            self.problem(offset, "Summary Offset for %s records points at byte %d, where the group does not start"
                         % (op_name(group), start))
        elif any(o >= start + length for o in offsets):
            self.problem(offset, "Summary Offset for %s records: the group runs past %d" % (op_name(group), start + length))

    # ---- the answer ------------------------------------------------------------------------------

    def report(self):
        channels = {}
        for cid, topic in self.channels.items():
            channels[topic] = channels.get(topic, 0) + self.counts.get(cid, 0)
        return {
            "channels": channels,
            "messages": sum(self.counts.values()),
            "chunks": len(self.chunks),
            "compression": ",".join(sorted(self.compressions)),
            "profile": self.profile,
            "errors": ["byte %d: %s" % e for e in sorted(self.errors, key=lambda e: e[0])],
        }


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: mcap_check.py FILE.mcap\n")
        return 2
    try:
        with open(argv[1], "rb") as fh:
            data = fh.read()
    except OSError as e:
        sys.stderr.write("mcap_check: %s: %s\n" % (argv[1], e.strerror))
        return 1
    checker = Checker(data)
    checker.check()
    report = checker.report()
    print(json.dumps(report, indent=2, sort_keys=True))
    if report["errors"]:
        sys.stderr.write("mcap_check: %s: %s\n" % (argv[1], report["errors"][0]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
