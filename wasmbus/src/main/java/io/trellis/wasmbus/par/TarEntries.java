package io.trellis.wasmbus.par;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/** The tar (and gzip) layer of a PAR: top-level regular files only, bounded in size. */
final class TarEntries {
  /** Largest archive we unpack in memory: provider binaries are tens of MiB, never this. */
  static final long MAX_TOTAL_BYTES = 1L << 30;

  private static final int BLOCK = 512;

  private TarEntries() {}

  static boolean isGzip(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }

  /** Name → content of every regular file, names without a leading {@code ./}. */
  static Map<String, byte[]> read(byte[] bytes) {
    byte[] tar = isGzip(bytes) ? gunzip(bytes) : bytes;
    if (!looksLikeTar(tar)) {
      throw new MalformedArchiveException(
          "not a provider archive: the data is neither a tar nor a"
              + " gzipped tar ("
              + bytes.length
              + " bytes, starting "
              + head(bytes)
              + ")");
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    long total = 0;
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        if (!e.isFile()) {
          continue;
        }
        String name = e.getName();
        while (name.startsWith("./")) {
          name = name.substring(2);
        }
        byte[] data = in.readAllBytes();
        total += data.length;
        if (total > MAX_TOTAL_BYTES) {
          throw new MalformedArchiveException(
              "provider archive is larger than " + MAX_TOTAL_BYTES + " bytes");
        }
        if (out.put(name, data) != null) {
          throw new MalformedArchiveException("provider archive holds '" + name + "' twice");
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new MalformedArchiveException(
          "provider archive is a corrupt tar: " + e.getMessage(), e);
    }
    return out;
  }

  static byte[] write(Map<String, byte[]> entries, long mtimeSeconds, boolean gzip) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      OutputStream sink = gzip ? new GZIPOutputStream(bytes) : bytes;
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(sink)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
          TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
          entry.setSize(e.getValue().length);
          // binaries are executables; the host sets 0755 on the file it writes anyway
          entry.setMode(e.getKey().endsWith(ProviderArchive.BINARY_SUFFIX) ? 0100755 : 0100644);
          entry.setModTime(FileTime.fromMillis(mtimeSeconds * 1000));
          tar.putArchiveEntry(entry);
          tar.write(e.getValue());
          tar.closeArchiveEntry();
        }
        tar.finish();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] gunzip(byte[] bytes) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      byte[] out = in.readNBytes((int) Math.min(MAX_TOTAL_BYTES + 1, Integer.MAX_VALUE - 16));
      if (out.length > MAX_TOTAL_BYTES) {
        throw new MalformedArchiveException(
            "provider archive unpacks to more than " + MAX_TOTAL_BYTES + " bytes");
      }
      return out;
    } catch (IOException e) {
      throw new MalformedArchiveException(
          "provider archive is a corrupt gzip stream: " + e.getMessage(), e);
    }
  }

  /** A ustar/GNU magic, or (for old V7 tars) a header whose checksum verifies. */
  private static boolean looksLikeTar(byte[] tar) {
    if (tar.length < BLOCK) {
      return false;
    }
    if (TarArchiveInputStream.matches(tar, tar.length)) {
      return true;
    }
    byte[] header = Arrays.copyOf(tar, BLOCK);
    boolean allZero = true;
    for (byte b : header) {
      if (b != 0) {
        allZero = false;
        break;
      }
    }
    // an all-zero first block is an empty tar: readable, and then reported as missing claims.jwt
    try {
      return allZero || TarUtils.verifyCheckSum(header);
    } catch (IllegalArgumentException e) {
      return false; // the checksum field is not even octal
    }
  }

  private static String head(byte[] bytes) {
    int n = Math.min(8, bytes.length);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(String.format("%02x", bytes[i] & 0xff));
      if (i < n - 1) {
        sb.append(' ');
      }
    }
    return n == 0 ? "(empty)" : sb.toString();
  }
}
