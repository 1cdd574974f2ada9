package tally.web;

import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A small logic-less template, a subset of Mustache that escapes by default.
 *
 * <ul>
 *   <li>{@code {{name}}} or {@code {{a.b}}}: the value, HTML-escaped, unless it is {@link Html};
 *   <li>{@code {{#name}}...{{/name}}}: repeated for each element of a collection, once for
 *       {@code true}, a map, a record or any other non-empty value (which then becomes the innermost
 *       scope); skipped for null, false, an empty collection and an empty string;
 *   <li>{@code {{^name}}...{{/name}}}: the inverse; {@code {{.}}} is the current element;
 *       {@code {{! comment}}} is dropped.
 * </ul>
 *
 * <p>There is deliberately no way to write a raw value from the template side: unescaped output
 * needs an {@link Html} value made by our own code. Names are looked up in maps and record components
 * from the innermost scope out; a name found nowhere fails the render, so a typo shows up in tests
 * instead of as an empty spot on a page.
 */
public final class Template {

    private sealed interface Node permits Text, Value, Section {}

    private record Text(String text) implements Node {}

    private record Value(String name) implements Node {}

    private record Section(String name, boolean inverted, List<Node> body) implements Node {}

    private final String name;
    private final List<Node> nodes;

    private Template(String name, List<Node> nodes) {
        this.name = name;
        this.nodes = nodes;
    }

    public static Template parse(String name, String source) {
        Deque<Section> open = new ArrayDeque<>();
        Deque<List<Node>> bodies = new ArrayDeque<>();
        bodies.push(new ArrayList<>());
        int at = 0;
        while (at < source.length()) {
            int start = source.indexOf("{{", at);
            if (start < 0) {
                bodies.peek().add(new Text(source.substring(at)));
                break;
            }
            if (start > at) {
                bodies.peek().add(new Text(source.substring(at, start)));
            }
            int end = source.indexOf("}}", start + 2);
            if (end < 0) {
                throw new IllegalArgumentException(name + ": unclosed {{ at offset " + start);
            }
            String tag = source.substring(start + 2, end).strip();
            at = end + 2;
            if (tag.isEmpty()) {
                throw new IllegalArgumentException(name + ": empty tag at offset " + start);
            }
            switch (tag.charAt(0)) {
                case '!' -> { }
                case '#', '^' -> {
                    Section section = new Section(tag.substring(1).strip(), tag.charAt(0) == '^', new ArrayList<>());
                    bodies.peek().add(section);
                    open.push(section);
                    bodies.push(section.body());
                }
                case '/' -> {
                    String closing = tag.substring(1).strip();
                    if (open.isEmpty() || !open.peek().name().equals(closing)) {
                        throw new IllegalArgumentException(name + ": {{/" + closing + "}} closes nothing open at offset " + start);
                    }
                    open.pop();
                    bodies.pop();
                }
                case '{', '&', '>' -> throw new IllegalArgumentException(
                        name + ": raw output and partials are not supported; pass an Html value instead");
                default -> bodies.peek().add(new Value(tag));
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException(name + ": section {{#" + open.peek().name() + "}} is never closed");
        }
        return new Template(name, List.copyOf(bodies.pop()));
    }

    public Html render(Object model) {
        StringBuilder out = new StringBuilder(4096);
        Deque<Object> scopes = new ArrayDeque<>();
        scopes.push(model);
        render(nodes, scopes, out);
        return new Html(out.toString());
    }

    private void render(List<Node> nodes, Deque<Object> scopes, StringBuilder out) {
        for (Node node : nodes) {
            if (node instanceof Text text) {
                out.append(text.text());
            } else if (node instanceof Value value) {
                write(lookup(value.name(), scopes), out);
            } else if (node instanceof Section section) {
                renderSection(section, lookup(section.name(), scopes), scopes, out);
            }
        }
    }

    private void renderSection(Section section, Object value, Deque<Object> scopes, StringBuilder out) {
        if (section.inverted()) {
            if (isEmpty(value)) {
                render(section.body(), scopes, out);
            }
            return;
        }
        if (isEmpty(value)) {
            return;
        }
        if (value instanceof Boolean) {
            render(section.body(), scopes, out);
            return;
        }
        Iterable<?> items = value instanceof Collection<?> c ? c
                : value instanceof Object[] array ? List.of(array)
                : List.of(value);
        for (Object item : items) {
            scopes.push(item);
            render(section.body(), scopes, out);
            scopes.pop();
        }
    }

    private static boolean isEmpty(Object value) {
        return value == null
                || Boolean.FALSE.equals(value)
                || value instanceof Collection<?> c && c.isEmpty()
                || value instanceof Object[] a && a.length == 0
                || value instanceof CharSequence s && s.isEmpty();
    }

    private static void write(Object value, StringBuilder out) {
        if (value instanceof Html html) {
            out.append(html.markup());
        } else if (value != null) {
            out.append(Html.escape(value.toString()));
        }
    }

    private Object lookup(String path, Deque<Object> scopes) {
        if (".".equals(path)) {
            return scopes.peek();
        }
        String[] parts = path.split("\\.");
        for (Object scope : scopes) {
            Found first = member(scope, parts[0]);
            if (first.present()) {
                Object value = first.value();
                for (int i = 1; i < parts.length; i++) {
                    Found next = member(value, parts[i]);
                    if (!next.present()) {
                        throw new IllegalArgumentException(name + ": no '" + parts[i] + "' in {{" + path + "}}");
                    }
                    value = next.value();
                }
                return value;
            }
        }
        throw new IllegalArgumentException(name + ": nothing named '" + path + "' in scope");
    }

    private record Found(boolean present, Object value) {
        static final Found ABSENT = new Found(false, null);
    }

    private static Found member(Object scope, String key) {
        if (scope instanceof Map<?, ?> map) {
            return map.containsKey(key) ? new Found(true, map.get(key)) : Found.ABSENT;
        }
        if (scope != null && scope.getClass().isRecord()) {
            for (RecordComponent component : scope.getClass().getRecordComponents()) {
                if (component.getName().equals(key)) {
                    try {
                        component.getAccessor().setAccessible(true);
                        return new Found(true, component.getAccessor().invoke(scope));
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read " + key + " of " + scope.getClass(), e);
                    }
                }
            }
        }
        return Found.ABSENT;
    }
}
