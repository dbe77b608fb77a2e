package io.trellis.cli.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code TEXT} or {@code @file} arguments, and the JSON they must hold for {@code --data}. */
final class Payloads {
  private Payloads() {}

  /** The argument's bytes: the file's content for {@code @file}, else the text as UTF-8. */
  static byte[] bytes(String arg) throws IOException {
    if (arg.startsWith("@")) {
      Path p = Path.of(arg.substring(1));
      if (!Files.isRegularFile(p)) {
        throw new NoSuchFileException(p.toString());
      }
      return Files.readAllBytes(p);
    }
    return arg.getBytes(StandardCharsets.UTF_8);
  }

  static JsonNode json(String arg) throws IOException {
    byte[] b = bytes(arg);
    try {
      JsonNode n = Json.MAPPER.readTree(b);
      if (n == null) {
        throw new IllegalArgumentException(
            "--data is empty: give JSON, e.g. '{\"key\":\"value\"}' or '\"text\"'");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "--data is not valid JSON"
              + (arg.startsWith("@") ? " (" + arg.substring(1) + ")" : "")
              + ": "
              + e.getOriginalMessage()
              + " at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr());
    }
  }
}
