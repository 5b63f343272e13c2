package io.parla.train;

import io.parla.core.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A training recipe (JSON): typed access with defaults and dotted-path overrides ({@code optim.lr=3e-4}). */
public final class Recipe {
    private final Map<String, Object> root;
    private final Path dir;

    public Recipe(Map<String, Object> root, Path dir) {
        this.root = root;
        this.dir = dir;
    }

    public static Recipe read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("recipe not found: " + file);
        return new Recipe(Json.parseObject(Files.readString(file)), file.toAbsolutePath().getParent());
    }

    public Map<String, Object> raw() { return root; }

    @SuppressWarnings("unchecked")
    public Object get(String path) {
        Object cur = root;
        for (String k : path.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) return null;
            cur = ((Map<String, Object>) m).get(k);
        }
        return cur;
    }

    public boolean has(String path) { return get(path) != null; }

    public String str(String path, String def) {
        Object v = get(path);
        return v == null ? def : v.toString();
    }

    public double num(String path, double def) {
        Object v = get(path);
        return v instanceof Number n ? n.doubleValue() : def;
    }

    public int integer(String path, int def) { return (int) Math.round(num(path, def)); }

    public boolean bool(String path, boolean def) {
        Object v = get(path);
        return v instanceof Boolean b ? b : def;
    }

    public List<String> strings(String path) {
        Object v = get(path);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) for (Object o : l) out.add(o.toString());
        return out;
    }

    public List<Double> numbers(String path) {
        Object v = get(path);
        List<Double> out = new ArrayList<>();
        if (v instanceof List<?> l) for (Object o : l) out.add(((Number) o).doubleValue());
        return out;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> object(String path) {
        Object v = get(path);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    /** A path relative to the recipe file (or absolute). */
    public Path path(String key) {
        String s = str(key, null);
        if (s == null) return null;
        Path p = Path.of(s);
        return p.isAbsolute() ? p : dir.resolve(p).normalize();
    }

    /** Applies "a.b.c=value" (value parsed as JSON, else taken as a string). */
    @SuppressWarnings("unchecked")
    public void override(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("override must look like key.path=value: " + assignment);
        String[] keys = assignment.substring(0, eq).split("\\.");
        String raw = assignment.substring(eq + 1);
        Object value;
        try {
            value = Json.parse(raw);
        } catch (RuntimeException e) {
            value = raw;
        }
        Map<String, Object> cur = root;
        for (int i = 0; i < keys.length - 1; i++) {
            Object next = cur.get(keys[i]);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                cur.put(keys[i], next);
            }
            cur = (Map<String, Object>) next;
        }
        cur.put(keys[keys.length - 1], value);
    }

    public String toJson() { return Json.write(root, 2); }
}
