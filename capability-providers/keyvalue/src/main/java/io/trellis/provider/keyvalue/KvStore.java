package io.trellis.provider.keyvalue;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.jetstream.KvCompareAndSet;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@code wasmcloud:keyvalue} operations (PROTOCOL.md §5.3) on one JetStream KV bucket. Every
 * read-modify-write (increment, list and set changes) is a compare-and-set on the entry's revision
 * ({@code create} when absent, {@code update(key, value, revision)} otherwise), retried when
 * another writer got there first, so concurrent callers on any number of provider instances never
 * lose an update.
 *
 * <p>On a replicated bucket the compare-and-set goes through {@link KvCompareAndSet}, which adds
 * the stream-wide expectation: nats-server 2.9 lets two concurrent per-subject compare-and-sets
 * over the same revision both succeed on a replicated stream (PROTOCOL.md §5.3.1).
 *
 * <p>Within this process, writers of the same key also take a striped lock and remember the
 * revision they wrote last: a hot counter then costs one JetStream round trip per increment and no
 * lost races, instead of a read, a write and frequent retries. The lock and the remembered revision
 * are only an optimisation; correctness rests on the compare-and-set alone.
 */
final class KvStore {
  /** JetStream "wrong last sequence": someone else wrote the key since we read it. */
  static final int WRONG_LAST_SEQUENCE = 10071;

  static final int MAX_ATTEMPTS = 10_000;

  private static final int STRIPES = 64;
  private static final int REMEMBERED = 4096;

  private final KeyValue kv;
  private final KvCompareAndSet cas;
  private final String bucket;
  private final Clock clock;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  /** Last value and revision this process wrote per (encoded) key; access-ordered, bounded. */
  private final Map<String, Current> written =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Current> eldest) {
          return size() > REMEMBERED;
        }
      };

  KvStore(KvCompareAndSet cas, String bucket, Clock clock) {
    this.kv = cas.keyValue();
    this.cas = cas;
    this.bucket = bucket;
    this.clock = clock;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** A live value and the revision it was read at (0 when the key holds nothing). */
  private record Current(Optional<StoredValue> value, long revision) {}

  /** The new state: {@code value} null means delete; {@code write} false means leave as is. */
  private record Change<T>(boolean write, @Nullable StoredValue value, T result) {
    static <T> Change<T> keep(T result) {
      return new Change<>(false, null, result);
    }

    static <T> Change<T> put(StoredValue v, T result) {
      return new Change<>(true, v, result);
    }

    static <T> Change<T> delete(T result) {
      return new Change<>(true, null, result);
    }
  }

  Optional<String> get(String key) {
    return read(key).value().map(v -> expectString(key, v).value());
  }

  void set(String key, String value, long expiresSeconds) {
    long exp = expiresSeconds > 0 ? clock.millis() + expiresSeconds * 1000 : 0;
    call(() -> kv.put(KeyCodec.encode(key), new StoredValue.Str(value, exp).encode()), key);
  }

  boolean delete(String key) {
    return update(key, cur -> cur.isPresent() ? Change.delete(true) : Change.keep(false));
  }

  boolean contains(String key) {
    return read(key).value().isPresent();
  }

  int increment(String key, int delta) {
    return update(
        key,
        cur -> {
          long base = 0;
          if (cur.isPresent()) {
            String s = expectString(key, cur.get()).value().strip();
            try {
              base = Long.parseLong(s);
            } catch (NumberFormatException e) {
              throw new LatticeException(
                  "cannot increment key '" + key + "': its value '" + s + "' is not an integer");
            }
          }
          long next = base + delta;
          if (next > Integer.MAX_VALUE || next < Integer.MIN_VALUE) {
            throw new LatticeException(
                "cannot increment key '"
                    + key
                    + "': "
                    + base
                    + " + "
                    + delta
                    + " does not fit a 32-bit integer");
          }
          long keepExpiry = cur.map(v -> ((StoredValue.Str) v).expiresAtMillis()).orElse(0L);
          return Change.put(new StoredValue.Str(Long.toString(next), keepExpiry), (int) next);
        });
  }

  int listAdd(String name, String value) {
    return update(
        name,
        cur -> {
          List<String> items = new ArrayList<>(list(name, cur));
          items.add(value);
          return Change.put(new StoredValue.ListValue(items), items.size());
        });
  }

  boolean listDel(String name, String value) {
    return update(
        name,
        cur -> {
          List<String> items = new ArrayList<>(list(name, cur));
          if (!items.remove(value)) {
            return Change.keep(false);
          }
          return items.isEmpty()
              ? Change.delete(true)
              : Change.put(new StoredValue.ListValue(items), true);
        });
  }

  boolean listClear(String name) {
    return update(
        name,
        cur -> {
          list(name, cur);
          return cur.isPresent() ? Change.delete(true) : Change.keep(false);
        });
  }

  /** Inclusive range with Redis LRANGE semantics: negative indexes count from the end. */
  List<String> listRange(String name, int start, int stop) {
    List<String> items = list(name, read(name).value());
    int n = items.size();
    int from = start < 0 ? Math.max(0, n + start) : start;
    int to = stop < 0 ? n + stop : Math.min(stop, n - 1);
    if (from > to || from >= n) {
      return List.of();
    }
    return List.copyOf(items.subList(from, to + 1));
  }

  int setAdd(String name, String value) {
    return update(
        name,
        cur -> {
          TreeSet<String> members = new TreeSet<>(set(name, cur));
          return members.add(value)
              ? Change.put(new StoredValue.SetValue(members), 1)
              : Change.keep(0);
        });
  }

  int setDel(String name, String value) {
    return update(
        name,
        cur -> {
          TreeSet<String> members = new TreeSet<>(set(name, cur));
          if (!members.remove(value)) {
            return Change.keep(0);
          }
          return members.isEmpty()
              ? Change.delete(1)
              : Change.put(new StoredValue.SetValue(members), 1);
        });
  }

  boolean setClear(String name) {
    return update(
        name,
        cur -> {
          set(name, cur);
          return cur.isPresent() ? Change.delete(true) : Change.keep(false);
        });
  }

  List<String> setQuery(String name) {
    return List.copyOf(set(name, read(name).value()));
  }

  List<String> setUnion(List<String> names) {
    TreeSet<String> out = new TreeSet<>();
    for (String n : names) {
      out.addAll(set(n, read(n).value()));
    }
    return List.copyOf(out);
  }

  List<String> setIntersection(List<String> names) {
    if (names.isEmpty()) {
      return List.of();
    }
    TreeSet<String> out = null;
    for (String n : names) {
      TreeSet<String> s = set(n, read(n).value());
      if (out == null) {
        out = new TreeSet<>(s);
      } else {
        out.retainAll(s);
      }
    }
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------- internals

  private Current read(String key) {
    KeyValueEntry e = call(() -> kv.get(KeyCodec.encode(key)), key);
    if (e == null || e.getOperation() != KeyValueOperation.PUT) {
      return new Current(Optional.empty(), 0);
    }
    StoredValue v = StoredValue.decode(e.getValue());
    boolean live = !v.expired(clock.millis());
    return new Current(live ? Optional.of(v) : Optional.empty(), e.getRevision());
  }

  private <T> T update(String key, Function<Optional<StoredValue>, Change<T>> fn) {
    String k = KeyCodec.encode(key);
    ReentrantLock lock = locks[Math.floorMod(k.hashCode(), STRIPES)];
    lock.lock();
    try {
      return updateLocked(key, k, fn);
    } finally {
      lock.unlock();
    }
  }

  private <T> T updateLocked(String key, String k, Function<Optional<StoredValue>, Change<T>> fn) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Current cur;
      synchronized (written) {
        cur = written.get(k);
      }
      if (cur == null || cur.value().map(v -> v.expired(clock.millis())).orElse(false)) {
        cur = read(key);
      }
      Change<T> change = fn.apply(cur.value());
      if (!change.write()) {
        return change.result();
      }
      try {
        long revision;
        if (change.value() == null) {
          cas.delete(k, cur.revision());
          revision = -1;
        } else if (cur.revision() == 0) {
          revision = cas.create(k, change.value().encode()); // also replaces a delete marker
        } else {
          revision = cas.update(k, change.value().encode(), cur.revision());
        }
        synchronized (written) {
          if (revision < 0) {
            written.remove(k);
          } else {
            written.put(k, new Current(Optional.of(change.value()), revision));
          }
        }
        return change.result();
      } catch (JetStreamApiException e) {
        synchronized (written) {
          written.remove(k); // someone else wrote it: what we remember is stale
        }
        if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
          throw new LatticeException(
              "bucket '" + bucket + "', key '" + key + "': " + e.getMessage(), e);
        }
        // lost the race to another process: back off a little (random, so contenders spread out)
        LockSupport.parkNanos(
            ThreadLocalRandom.current().nextLong(20_000, 200_000L * Math.min(attempt, 10)));
      } catch (IOException e) {
        synchronized (written) {
          written.remove(k);
        }
        throw new LatticeException(
            "bucket '" + bucket + "', key '" + key + "': " + e.getMessage(), e);
      }
    }
    throw new LatticeException(
        "bucket '"
            + bucket
            + "', key '"
            + key
            + "': gave up after "
            + MAX_ATTEMPTS
            + " conflicting concurrent updates");
  }

  private static StoredValue.Str expectString(String key, StoredValue v) {
    if (v instanceof StoredValue.Str s) {
      return s;
    }
    throw new LatticeException("key '" + key + "' holds " + v.kind() + ", not a string");
  }

  private static List<String> list(String name, Optional<StoredValue> v) {
    if (v.isEmpty()) {
      return List.of();
    }
    if (v.get() instanceof StoredValue.ListValue l) {
      return l.items();
    }
    throw new LatticeException("key '" + name + "' holds " + v.get().kind() + ", not a list");
  }

  private static TreeSet<String> set(String name, Optional<StoredValue> v) {
    if (v.isEmpty()) {
      return new TreeSet<>();
    }
    if (v.get() instanceof StoredValue.SetValue s) {
      return s.members();
    }
    throw new LatticeException("key '" + name + "' holds " + v.get().kind() + ", not a set");
  }

  @FunctionalInterface
  private interface Io<T> {
    T run() throws IOException, JetStreamApiException;
  }

  private <T> T call(Io<T> op, String key) {
    try {
      return op.run();
    } catch (IOException | JetStreamApiException e) {
      throw new LatticeException(
          "bucket '" + bucket + "', key '" + key + "': " + e.getMessage(), e);
    }
  }
}
