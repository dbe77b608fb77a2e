package io.trellis.apps.store;

import io.trellis.wasmbus.LatticeException;
import org.jspecify.annotations.Nullable;

/** The application store (JetStream) could not be read or written; the message says why. */
public class AppStoreException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public AppStoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** Somebody else wrote the key since it was read; read again and retry. */
  public static final class Conflict extends AppStoreException {
    private static final long serialVersionUID = 1L;

    public Conflict(String key, @Nullable Throwable cause) {
      super("key " + key + " was changed concurrently", cause);
    }
  }
}
