package io.trellis.wasmbus.internal;

/** CRC-16/XMODEM (poly 0x1021, init 0), the checksum nkeys append little-endian. */
public final class Crc16 {
  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 8;
      for (int j = 0; j < 8; j++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      TABLE[i] = crc & 0xffff;
    }
  }

  private Crc16() {}

  public static int checksum(byte[] data, int offset, int length) {
    int crc = 0;
    for (int i = offset; i < offset + length; i++) {
      crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ data[i]) & 0xff];
    }
    return crc;
  }
}
