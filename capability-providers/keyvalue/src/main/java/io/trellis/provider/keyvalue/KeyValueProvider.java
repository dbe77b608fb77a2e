package io.trellis.provider.keyvalue;

import static io.trellis.wasmbus.interfaces.KeyValue.CONTAINS;
import static io.trellis.wasmbus.interfaces.KeyValue.DEL;
import static io.trellis.wasmbus.interfaces.KeyValue.GET;
import static io.trellis.wasmbus.interfaces.KeyValue.INCREMENT;
import static io.trellis.wasmbus.interfaces.KeyValue.LIST_ADD;
import static io.trellis.wasmbus.interfaces.KeyValue.LIST_CLEAR;
import static io.trellis.wasmbus.interfaces.KeyValue.LIST_DEL;
import static io.trellis.wasmbus.interfaces.KeyValue.LIST_RANGE;
import static io.trellis.wasmbus.interfaces.KeyValue.SET;
import static io.trellis.wasmbus.interfaces.KeyValue.SET_ADD;
import static io.trellis.wasmbus.interfaces.KeyValue.SET_CLEAR;
import static io.trellis.wasmbus.interfaces.KeyValue.SET_DEL;
import static io.trellis.wasmbus.interfaces.KeyValue.SET_INTERSECTION;
import static io.trellis.wasmbus.interfaces.KeyValue.SET_QUERY;
import static io.trellis.wasmbus.interfaces.KeyValue.SET_UNION;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.trellis.provider.sdk.Caller;
import io.trellis.provider.sdk.CapabilityProvider;
import io.trellis.provider.sdk.InvalidLinkValueException;
import io.trellis.provider.sdk.LinkValues;
import io.trellis.provider.sdk.OperationNotHandledException;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.interfaces.KeyValue.CollectionItem;
import io.trellis.wasmbus.interfaces.KeyValue.GetResponse;
import io.trellis.wasmbus.interfaces.KeyValue.IncrementRequest;
import io.trellis.wasmbus.interfaces.KeyValue.ListRangeRequest;
import io.trellis.wasmbus.interfaces.KeyValue.SetRequest;
import io.trellis.wasmbus.jetstream.KvCompareAndSet;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.msgpack.MsgPackValues;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code wasmcloud:keyvalue} on NATS JetStream KV, so actor state lives in the lattice's own NATS.
 * Each link names a bucket (link value {@code bucket}, default {@code trellis_kv_<actor key>}),
 * created on first use in the lattice's JetStream domain (or the link value {@code js_domain}).
 */
public final class KeyValueProvider extends CapabilityProvider {
  private static final Logger LOG = LoggerFactory.getLogger(KeyValueProvider.class);
  static final String BUCKET_PREFIX = "trellis_kv_";

  private final Map<String, KvStore> stores = new ConcurrentHashMap<>();
  private final Clock clock;

  public KeyValueProvider() {
    this(Clock.systemUTC());
  }

  KeyValueProvider(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void onLinkPut(LinkDefinition link) throws Exception {
    LinkValues v = LinkValues.of(link);
    String bucket = v.get("bucket", BUCKET_PREFIX + link.actorId());
    if (!bucket.matches("[A-Za-z0-9_-]+")) {
      throw new InvalidLinkValueException(
          "link value bucket='"
              + bucket
              + "' is not a valid bucket name (letters, digits, '_' and '-')");
    }
    String domain = v.get("js_domain").orElse(context().hostData().jsDomain());
    KeyValueOptions opts =
        domain == null
            ? KeyValueOptions.builder().build()
            : KeyValueOptions.builder().jsDomain(domain).build();
    ensureBucket(bucket, opts);
    stores.put(
        link.actorId(),
        new KvStore(
            KvCompareAndSet.bind(
                context().connection(), context().connection().keyValue(bucket, opts), opts),
            bucket,
            clock));
    LOG.info(
        "actor {} uses KV bucket '{}'{}",
        link.actorId(),
        bucket,
        domain == null ? "" : " in domain " + domain);
  }

  private void ensureBucket(String bucket, KeyValueOptions opts)
      throws IOException, JetStreamApiException {
    KeyValueManagement kvm = context().connection().keyValueManagement(opts);
    try {
      kvm.getStatus(bucket);
    } catch (JetStreamApiException missing) {
      try {
        kvm.create(
            KeyValueConfiguration.builder()
                .name(bucket)
                .storageType(StorageType.File)
                .maxHistoryPerKey(1)
                .build());
      } catch (JetStreamApiException e) {
        kvm.getStatus(bucket); // created concurrently by another provider instance: fine
      }
    }
  }

  @Override
  public void onLinkDel(LinkDefinition link) {
    stores.remove(link.actorId()); // the data stays in the bucket
  }

  @Override
  public byte[] handle(String operation, byte[] payload, Caller caller) {
    KvStore kv =
        Optional.ofNullable(stores.get(caller.actorId()))
            .orElseThrow(
                () ->
                    new LatticeException(
                        "actor "
                            + caller.actorId()
                            + " has no key-value bucket (link not applied)"));
    return switch (operation) {
      case GET -> {
        Optional<String> v = kv.get(key(payload));
        yield new GetResponse(v.orElse(""), v.isPresent()).toMsgPack();
      }
      case SET -> {
        SetRequest r = SetRequest.fromMsgPack(payload);
        kv.set(r.key(), r.value(), r.expires());
        yield new byte[0];
      }
      case DEL -> MsgPackValues.bool(kv.delete(key(payload)));
      case CONTAINS -> MsgPackValues.bool(kv.contains(key(payload)));
      case INCREMENT -> {
        IncrementRequest r = IncrementRequest.fromMsgPack(payload);
        yield MsgPackValues.integer(kv.increment(r.key(), r.value()));
      }
      case LIST_ADD -> {
        CollectionItem i = CollectionItem.fromMsgPack(payload, "listName");
        yield MsgPackValues.integer(kv.listAdd(i.name(), i.value()));
      }
      case LIST_DEL -> {
        CollectionItem i = CollectionItem.fromMsgPack(payload, "listName");
        yield MsgPackValues.bool(kv.listDel(i.name(), i.value()));
      }
      case LIST_CLEAR -> MsgPackValues.bool(kv.listClear(key(payload)));
      case LIST_RANGE -> {
        ListRangeRequest r = ListRangeRequest.fromMsgPack(payload);
        yield MsgPackValues.stringList(kv.listRange(r.listName(), r.start(), r.stop()));
      }
      case SET_ADD -> {
        CollectionItem i = CollectionItem.fromMsgPack(payload, "setName");
        yield MsgPackValues.integer(kv.setAdd(i.name(), i.value()));
      }
      case SET_DEL -> {
        CollectionItem i = CollectionItem.fromMsgPack(payload, "setName");
        yield MsgPackValues.integer(kv.setDel(i.name(), i.value()));
      }
      case SET_CLEAR -> MsgPackValues.bool(kv.setClear(key(payload)));
      case SET_QUERY -> MsgPackValues.stringList(kv.setQuery(key(payload)));
      case SET_UNION ->
          MsgPackValues.stringList(kv.setUnion(MsgPackValues.stringList(payload, "set names")));
      case SET_INTERSECTION ->
          MsgPackValues.stringList(
              kv.setIntersection(MsgPackValues.stringList(payload, "set names")));
      default -> throw new OperationNotHandledException(operation);
    };
  }

  private static String key(byte[] payload) {
    return MsgPackValues.string(payload, "key");
  }
}
