package org.threadkill.consequences;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.threadkill.testing.TestPaths;

/** Every scenario: the classes of package {@code org.threadkill.consequences.scenarios}, in the order of their {@link Order}. */
public final class Scenarios {
    private Scenarios() {}

    /** Where a scenario appears in the matrix (the numbering); ties sort by id. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    public @interface Order {
        int value();
    }

    private static final String PACKAGE = "org.threadkill.consequences.scenarios";

    public static List<Scenario> all() {
        Path dir = TestPaths.testClasses().resolve(PACKAGE.replace('.', '/'));
        List<Scenario> list = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$")) continue;
                Class<?> c = Class.forName(PACKAGE + "." + name.substring(0, name.length() - 6));
                if (!Scenario.class.isAssignableFrom(c) || java.lang.reflect.Modifier.isAbstract(c.getModifiers())) continue;
                list.add((Scenario) c.getConstructor().newInstance());
            }
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot list the scenarios in " + dir, e);
        }
        list.sort(Comparator.comparingInt(Scenarios::order).thenComparing(Scenario::id));
        return list;
    }

    private static int order(Scenario s) {
        Order o = s.getClass().getAnnotation(Order.class);
        return o == null ? Integer.MAX_VALUE : o.value();
    }

    public static Scenario byId(String id) {
        for (Scenario s : all()) {
            if (s.id().equalsIgnoreCase(id)) return s;
        }
        StringBuilder ids = new StringBuilder();
        for (Scenario s : all()) ids.append(' ').append(s.id());
        throw new IllegalArgumentException("no scenario '" + id + "'; known:" + ids);
    }
}
