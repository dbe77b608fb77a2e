package io.trellis.cli.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.apps.AppStatus;
import io.trellis.apps.StatusInfo;
import java.io.PrintWriter;

/** Prints an application's status: the app, then each component and trait with its message. */
final class StatusPrinter {
  private StatusPrinter() {}

  static void print(PrintWriter out, String name, AppStatus s) {
    out.println(name + " " + s.version() + ": " + line(s.info()));
    for (AppStatus.ComponentStatus c : s.components()) {
      out.println("  " + c.name() + " (" + c.type() + "): " + line(c.info()));
      for (AppStatus.TraitStatus t : c.traits()) {
        out.println("    " + t.type() + ": " + line(t.info()));
      }
    }
    if (s.updatedAt() != null) {
      out.println(
          "  (as of "
              + s.updatedAt()
              + (s.reconciler() == null ? "" : ", by reconciler " + s.reconciler())
              + ")");
    }
    out.flush();
  }

  static String line(StatusInfo i) {
    return i.type().wire() + (i.message().isEmpty() ? "" : " - " + i.message());
  }

  static ObjectNode json(String name, AppStatus s) {
    ObjectNode o = s.toJsonNode();
    o.put("name", name);
    return o;
  }
}
