package org.threadkill.consequences;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;


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

    /**
     * Every scenario class of the package, found where the classes are: a directory (a build) or a
     * jar (the runnable demo jar, a dependency).
     */
    public static List<Scenario> all() {
        List<Scenario> list = new ArrayList<>();
        try {
            for (String name : classNames()) {
                Class<?> c = Class.forName(PACKAGE + "." + name);
                if (!Scenario.class.isAssignableFrom(c) || Modifier.isAbstract(c.getModifiers())) continue;
                list.add((Scenario) c.getConstructor().newInstance());
            }
        } catch (IOException | URISyntaxException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot list the scenarios in package " + PACKAGE, e);
        }
        list.sort(Comparator.comparingInt(Scenarios::order).thenComparing(Scenario::id));
        return list;
    }

    /** Simple names of the top-level classes of {@link #PACKAGE}. */
    private static List<String> classNames() throws IOException, URISyntaxException {
        String dir = PACKAGE.replace('.', '/') + "/";
        Path location = Path.of(Scenario.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.list(location.resolve(dir))) {
                files.forEach(f -> names.add(f.getFileName().toString()));
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                jar.stream().map(JarEntry::getName)
                        .filter(n -> n.startsWith(dir) && n.indexOf('/', dir.length()) < 0)
                        .forEach(n -> names.add(n.substring(dir.length())));
            }
        }
        List<String> classes = new ArrayList<>();
        for (String n : names) {
            if (n.endsWith(".class") && !n.contains("$")) classes.add(n.substring(0, n.length() - ".class".length()));
        }
        return classes;
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
