package io.parla.focalcodec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code *_config} object of {@code config.json}: typed getters with the official class defaults, range
 * checks (a hostile config must not make us allocate gigabytes), and a final check that no key was left
 * unread — the official {@code from_config} passes keys as constructor arguments, so an unknown key is an
 * error there too.
 */
final class ConfigSection {
    static final int MAX_DIM = 1 << 16;

    private final String where;
    private final Map<String, Object> values;
    private final Set<String> read = new HashSet<>();

    ConfigSection(String where, Map<String, Object> values) {
        this.where = where;
        this.values = values == null ? Map.of() : values;
    }

    private Object raw(String key) {
        read.add(key);
        return values.get(key);
    }

    void ignore(String... keys) {
        for (String k : keys) read.add(k);
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    int integer(String key, int def, int min, int max) {
        Object v = raw(key);
        if (v == null) return def;
        if (!(v instanceof Long l)) throw fail(key, "must be an integer, got " + v);
        if (l < min || l > max) throw fail(key, "must be in [" + min + ", " + max + "], got " + l);
        return (int) (long) l;
    }

    double number(String key, double def) {
        Object v = raw(key);
        if (v == null) return def;
        if (!(v instanceof Number n)) throw fail(key, "must be a number, got " + v);
        return n.doubleValue();
    }

    Double optionalNumber(String key) {
        Object v = raw(key);
        if (v == null) return null;
        if (!(v instanceof Number n)) throw fail(key, "must be a number or null, got " + v);
        return n.doubleValue();
    }

    boolean bool(String key, boolean def) {
        Object v = raw(key);
        if (v == null) return def;
        if (!(v instanceof Boolean b)) throw fail(key, "must be true or false, got " + v);
        return b;
    }

    int[] ints(String key, int[] def, int min, int max) {
        Object v = raw(key);
        if (v == null) return def.clone();
        if (!(v instanceof List<?> l) || l.isEmpty() || l.size() > 64) throw fail(key, "must be a list of 1..64 integers");
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long x) || x < min || x > max)
                throw fail(key, "entries must be integers in [" + min + ", " + max + "], got " + l);
            out[i] = (int) (long) x;
        }
        return out;
    }

    void requireAllRead() {
        List<String> unknown = new ArrayList<>();
        for (String k : values.keySet()) if (!read.contains(k)) unknown.add(k);
        if (!unknown.isEmpty()) throw new ConfigException(where + ": unknown keys " + unknown);
    }

    ConfigException fail(String key, String problem) {
        return new ConfigException(where + "." + key + " " + problem);
    }
}
