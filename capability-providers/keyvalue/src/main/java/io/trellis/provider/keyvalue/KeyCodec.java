package io.trellis.provider.keyvalue;

import io.trellis.wasmbus.LatticeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Actor keys are arbitrary strings ({@code counter:home}, {@code a b}); NATS KV keys allow only
 * {@code [A-Za-z0-9_/=.-]}, no leading/trailing or doubled dots. Letters, digits, {@code _}, {@code
 * -} and {@code /} are kept; every other byte of the UTF-8 form (including {@code .} and {@code =})
 * becomes {@code =XX}. The mapping is reversible and keeps plain keys readable.
 */
final class KeyCodec {
  private KeyCodec() {}

  static String encode(String key) {
    if (key == null || key.isEmpty()) {
      throw new LatticeException("the key must not be empty");
    }
    StringBuilder sb = new StringBuilder(key.length() + 8);
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-'
          || c == '/') {
        sb.append((char) c);
      } else {
        sb.append('=')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }

  static String decode(String encoded) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '=' && i + 2 < encoded.length()) {
        out.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
