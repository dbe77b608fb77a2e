package io.trellis.wasmbus.interfaces;

/** Capability contract ids (wascap {@code caps} constants). */
public final class Contracts {
  public static final String HTTP_SERVER = "wasmcloud:httpserver";
  public static final String HTTP_CLIENT = "wasmcloud:httpclient";
  public static final String KEY_VALUE = "wasmcloud:keyvalue";
  public static final String MESSAGING = "wasmcloud:messaging";
  public static final String BLOBSTORE = "wasmcloud:blobstore";
  public static final String LOGGING = "wasmcloud:builtin:logging";
  public static final String NUMBERGEN = "wasmcloud:builtin:numbergen";

  private Contracts() {}

  public static boolean isBuiltin(String contractId) {
    return LOGGING.equals(contractId) || NUMBERGEN.equals(contractId);
  }
}
