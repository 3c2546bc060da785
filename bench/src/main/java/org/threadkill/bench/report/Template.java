package org.threadkill.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A piece of the report's text: a resource under {@code report/} (src/main/resources/report/*.md)
 * with {@code {{name}}} placeholders. The prose lives there; the Java fills in numbers and rows. A
 * placeholder left unfilled, or a value given for none, is an error.
 */
final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-zA-Z0-9_]+)}}");

    private final String name;
    private final String text;
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Template(String name, String text) {
        this.name = name;
        this.text = text;
    }

    static Template of(String name) {
        String resource = "/report/" + name + ".md";
        try (InputStream in = Template.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("no template " + resource);
            return new Template(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Template with(String key, Object value) {
        values.put(key, value);
        return this;
    }

    String render() {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        java.util.Set<String> used = new java.util.HashSet<>();
        while (m.find()) {
            String key = m.group(1);
            if (!values.containsKey(key)) throw new IllegalStateException("template " + name + ": no value for {{" + key + "}}");
            used.add(key);
            m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf(values.get(key))));
        }
        m.appendTail(sb);
        for (String k : values.keySet()) {
            if (!used.contains(k)) throw new IllegalStateException("template " + name + " has no {{" + k + "}}");
        }
        return sb.toString();
    }
}
