package io.trellis.wasmbus.claims;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Just enough of the wasm binary format to find custom sections and re-emit the others with minimal
 * LEB128 sizes, which is what the wascap module hash is computed over (PROTOCOL.md §2.3).
 */
public final class WasmSections {
  public static final byte[] PREAMBLE = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

  /** One top-level section. {@code name} is set for custom sections (id 0) only. */
  public record Section(
      int id, int contentStart, int contentLength, @Nullable String name, int payloadStart) {}

  private WasmSections() {}

  public static List<Section> parse(byte[] module) {
    if (module.length < 8) {
      throw new MalformedModuleException(
          "not a WebAssembly module: "
              + module.length
              + " bytes is shorter than the 8-byte header");
    }
    for (int i = 0; i < 4; i++) {
      if (module[i] != PREAMBLE[i]) {
        throw new MalformedModuleException("not a WebAssembly module: missing the \\0asm magic");
      }
    }
    List<Section> sections = new ArrayList<>();
    int pos = 8;
    while (pos < module.length) {
      int id = module[pos++] & 0xff;
      long[] size = readLeb(module, pos);
      pos = (int) size[1];
      long len = size[0];
      if (pos + len > module.length) {
        throw new MalformedModuleException(
            "section "
                + id
                + " at offset "
                + pos
                + " claims "
                + len
                + " bytes but the module ends at "
                + module.length);
      }
      String name = null;
      int payload = pos;
      if (id == 0) {
        long[] nameLen = readLeb(module, pos);
        int nameStart = (int) nameLen[1];
        if (nameStart + nameLen[0] > pos + len) {
          throw new MalformedModuleException(
              "custom section name at offset " + pos + " overruns its section");
        }
        name = new String(module, nameStart, (int) nameLen[0], StandardCharsets.UTF_8);
        payload = nameStart + (int) nameLen[0];
      }
      sections.add(new Section(id, pos, (int) len, name, payload));
      pos += (int) len;
    }
    return sections;
  }

  /** The module re-encoded without the sections the predicate rejects. */
  public static byte[] rebuild(byte[] module, List<Section> sections, Predicate<Section> keep) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(module.length);
    out.write(module, 0, 8);
    for (Section s : sections) {
      if (keep.test(s)) {
        out.write(s.id());
        writeLeb(out, s.contentLength());
        out.write(module, s.contentStart(), s.contentLength());
      }
    }
    return out.toByteArray();
  }

  public static byte[] customSection(String name, byte[] payload) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(payload.length + name.length() + 8);
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    writeLeb(body, n.length);
    body.write(n, 0, n.length);
    body.write(payload, 0, payload.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 6);
    out.write(0);
    writeLeb(out, body.size());
    out.write(body.toByteArray(), 0, body.size());
    return out.toByteArray();
  }

  private static long[] readLeb(byte[] b, int pos) {
    long result = 0;
    int shift = 0;
    while (true) {
      if (pos >= b.length) {
        throw new MalformedModuleException("truncated LEB128 size at offset " + pos);
      }
      int by = b[pos++] & 0xff;
      result |= (long) (by & 0x7f) << shift;
      if ((by & 0x80) == 0) {
        break;
      }
      shift += 7;
      if (shift > 28) {
        throw new MalformedModuleException("LEB128 size too long at offset " + pos);
      }
    }
    return new long[] {result, pos};
  }

  static void writeLeb(ByteArrayOutputStream out, long value) {
    long v = value;
    do {
      int b = (int) (v & 0x7f);
      v >>>= 7;
      out.write(v != 0 ? b | 0x80 : b);
    } while (v != 0);
  }
}
