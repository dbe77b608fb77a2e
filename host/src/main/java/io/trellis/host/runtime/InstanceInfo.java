package io.trellis.host.runtime;

import java.util.Map;

/** One logical instance of a running actor, as inventory reports it. */
public record InstanceInfo(String instanceId, Map<String, String> annotations, long revision) {}
