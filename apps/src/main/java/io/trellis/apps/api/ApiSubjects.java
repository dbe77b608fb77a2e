package io.trellis.apps.api;

/**
 * The subjects of wadm's API (PROTOCOL.md §15.1): {@code {prefix}.{lattice}.model.{op}[.{name}]},
 * prefix {@value #DEFAULT_PREFIX} unless configured.
 */
public record ApiSubjects(String prefix, String lattice) {
  public static final String DEFAULT_PREFIX = "wadm.api";

  /** wadm's queue group, so that any number of API servers share the requests. */
  public static final String QUEUE_GROUP = "wadm_server";

  /** What the server subscribes to. */
  public String all() {
    return prefix + "." + lattice + ".>";
  }

  public String model(String operation) {
    return prefix + "." + lattice + ".model." + operation;
  }

  public String model(String operation, String name) {
    return model(operation) + "." + name;
  }

  /** The part after {@code {prefix}.{lattice}.}, or null when the subject is not ours. */
  String rest(String subject) {
    String head = prefix + "." + lattice + ".";
    return subject.startsWith(head) ? subject.substring(head.length()) : null;
  }
}
