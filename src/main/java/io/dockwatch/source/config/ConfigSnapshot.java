package io.dockwatch.source.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a container was started with, from its inspect answer, in three forms:
 * <ul>
 *   <li>{@code shown}: the record's {@code config} object, env values redacted unless allow-listed;</li>
 *   <li>{@code comparable}: the same with each env value replaced by a keyed hash, so drift sees a
 *   changed secret without the collector storing or printing it;</li>
 *   <li>{@code hash}: SHA-256 of {@code comparable}, stable while nothing changes.</li>
 * </ul>
 */
public record ConfigSnapshot(ObjectNode shown, ObjectNode comparable, String hash) {
    public static final String REDACTED = "<redacted>";

    public static ConfigSnapshot of(JsonNode inspect, Predicate<String> envAllowed, byte[] secretKey) {
        JsonNode cfg = inspect.path("Config");
        JsonNode host = inspect.path("HostConfig");
        ObjectNode shown = Json.NODES.objectNode();
        shown.put("image", cfg.path("Image").asText());
        shown.set("command", listOrEmpty(cfg.path("Cmd")));
        shown.set("entrypoint", listOrEmpty(cfg.path("Entrypoint")));
        Map<String, String> env = new TreeMap<>();
        cfg.path("Env").forEach(e -> {
            String s = e.asText();
            int eq = s.indexOf('=');
            env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        });
        ObjectNode shownEnv = shown.putObject("env");
        env.forEach((k, v) -> shownEnv.put(k, envAllowed.test(k) ? v : REDACTED));
        shown.set("mounts", mounts(inspect.path("Mounts")));
        shown.set("ports", ports(host.path("PortBindings")));
        shown.set("cap_add", capabilities(host.path("CapAdd")));
        shown.set("cap_drop", capabilities(host.path("CapDrop")));
        shown.put("privileged", host.path("Privileged").asBoolean(false));
        shown.put("memory_limit_bytes", host.path("Memory").asLong(0));
        shown.put("nano_cpus", host.path("NanoCpus").asLong(0));
        shown.put("cpu_shares", host.path("CpuShares").asLong(0));
        shown.put("pids_limit", host.path("PidsLimit").asLong(0));
        ObjectNode restart = shown.putObject("restart_policy");
        restart.put("name", host.path("RestartPolicy").path("Name").asText(""));
        restart.put("maximum_retry_count", host.path("RestartPolicy").path("MaximumRetryCount").asLong(0));
        shown.put("network_mode", host.path("NetworkMode").asText(""));
        shown.put("user", cfg.path("User").asText(""));
        shown.put("read_only_rootfs", host.path("ReadonlyRootfs").asBoolean(false));
        shown.set("security_opt", listOrEmpty(host.path("SecurityOpt")));
        shown.put("log_driver", host.path("LogConfig").path("Type").asText(""));

        ObjectNode comparable = shown.deepCopy();
        ObjectNode keyedEnv = comparable.putObject("env");
        env.forEach((k, v) -> keyedEnv.put(k, envAllowed.test(k) ? v : "hmac:" + hmac(secretKey, v)));
        String hash = sha256(comparable.toString());
        shown.put("hash", hash);
        return new ConfigSnapshot(shown, comparable, hash);
    }

    private static ArrayNode listOrEmpty(JsonNode n) {
        ArrayNode a = Json.NODES.arrayNode();
        if (n.isArray()) {
            n.forEach(a::add);
        } else if (n.isTextual()) {
            a.add(n.asText());
        }
        return a;
    }

    /** Engines differ in spelling ({@code CAP_NET_ADMIN} vs {@code NET_ADMIN}): one spelling, or drift lies. */
    private static ArrayNode capabilities(JsonNode n) {
        ArrayNode a = Json.NODES.arrayNode();
        n.forEach(c -> a.add(c.asText().toUpperCase(java.util.Locale.ROOT).replaceFirst("^CAP_", "")));
        return a;
    }

    private static ArrayNode mounts(JsonNode mounts) {
        List<ObjectNode> list = new ArrayList<>();
        mounts.forEach(m -> {
            ObjectNode o = Json.NODES.objectNode();
            o.put("type", m.path("Type").asText());
            o.put("source", m.path("Source").asText());
            o.put("destination", m.path("Destination").asText());
            o.put("mode", m.path("Mode").asText());
            o.put("read_write", m.path("RW").asBoolean(true));
            list.add(o);
        });
        return sortedBy(list, o -> o.path("destination").asText());
    }

    private static ArrayNode ports(JsonNode bindings) {
        List<ObjectNode> list = new ArrayList<>();
        bindings.fields().forEachRemaining(e -> {
            String[] portProto = e.getKey().split("/");
            JsonNode hostBindings = e.getValue();
            if (hostBindings == null || !hostBindings.isArray() || hostBindings.isEmpty()) {
                ObjectNode o = port(portProto);
                list.add(o);
            } else {
                hostBindings.forEach(b -> {
                    ObjectNode o = port(portProto);
                    o.put("host_ip", b.path("HostIp").asText(""));
                    o.put("host_port", b.path("HostPort").asText(""));
                    list.add(o);
                });
            }
        });
        return sortedBy(list, o -> o.toString());
    }

    private static ObjectNode port(String[] portProto) {
        ObjectNode o = Json.NODES.objectNode();
        o.put("container_port", portProto[0]);
        o.put("protocol", portProto.length > 1 ? portProto[1] : "tcp");
        return o;
    }

    private static ArrayNode sortedBy(List<ObjectNode> list, Function<ObjectNode, String> key) {
        list.sort((a, b) -> key.apply(a).compareTo(key.apply(b)));
        ArrayNode a = Json.NODES.arrayNode();
        list.forEach(a::add);
        return a;
    }

    private static String hmac(byte[] key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** Allow-list of env keys whose values may be shown; {@code *} matches any run of characters. */
    public static Predicate<String> allowList(List<String> patterns) {
        List<java.util.regex.Pattern> compiled = patterns.stream()
                .map(p -> java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(p).replace("*", "\\E.*\\Q")))
                .toList();
        return key -> compiled.stream().anyMatch(p -> p.matcher(key).matches());
    }
}
