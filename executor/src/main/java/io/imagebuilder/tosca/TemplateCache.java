package io.imagebuilder.tosca;

import io.imagebuilder.problem.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Templates read and type-checked once, then rendered with each caller's inputs. A server checks every build
 * submission against the same bundled blueprint and library, and reading and type-checking them cost many times
 * more than rendering them with a request's inputs. It keeps the {@value #MAX_TEMPLATES} templates used most
 * recently; a template whose files have changed on disk since (size or modification time) is read again, so an
 * edited installation takes effect without a restart.
 */
public final class TemplateCache {

    /** Enough for a server's bundled blueprint and the blueprints its deployments name. */
    static final int MAX_TEMPLATES = 64;

    /** The templates read most recently last; the least recently used goes first once there are too many. */
    private final Map<Key, Entry> entries = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                    return size() > MAX_TEMPLATES;
                }
            });
    /** The templates some thread is reading now, for others that want them meanwhile. */
    private final ConcurrentHashMap<Key, CompletableFuture<PreparedTemplate>> preparing = new ConcurrentHashMap<>();

    /**
     * The template as {@code loader} would prepare it; null when it has problems, which the caller then reports
     * through a full load, together with its inputs' problems, as without a cache. A caller that finds it being
     * prepared by another thread waits for that one's result rather than reading it a second time.
     */
    PreparedTemplate prepared(Path template, ToscaLoader loader, Path workingDirectory, long maxBytes) {
        Key key = new Key(template.toAbsolutePath().normalize(), workingDirectory.toAbsolutePath().normalize(),
                maxBytes);
        Entry entry = entries.get(key);
        if (entry != null && entry.current()) return entry.template();
        CompletableFuture<PreparedTemplate> mine = new CompletableFuture<>();
        CompletableFuture<PreparedTemplate> running = preparing.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (java.util.concurrent.CompletionException e) {
                return prepare(key, loader); // the other reader failed: fail here too, in this caller's own thread
            }
        }
        try {
            PreparedTemplate prepared = prepare(key, loader);
            mine.complete(prepared);
            return prepared;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            preparing.remove(key, mine);
        }
    }

    private PreparedTemplate prepare(Key key, ToscaLoader loader) {
        PreparedTemplate prepared;
        try {
            prepared = loader.prepare(key.template());
        } catch (InvalidInputException e) {
            entries.remove(key);
            return null;
        }
        List<Stamp> stamps = new ArrayList<>();
        for (Path file : prepared.sources().byPath().keySet()) {
            Stamp stamp = Stamp.of(file);
            if (stamp == null) return prepared; // vanished while it was read: use it once, keep nothing
            stamps.add(stamp);
        }
        entries.put(key, new Entry(prepared, List.copyOf(stamps)));
        return prepared;
    }

    /** How many templates are kept. */
    int size() {
        return entries.size();
    }

    /** Whether the template is kept, for any loader. */
    boolean holds(Path template) {
        Path file = template.toAbsolutePath().normalize();
        synchronized (entries) {
            return entries.keySet().stream().anyMatch(k -> k.template().equals(file));
        }
    }

    private record Key(Path template, Path workingDirectory, long maxBytes) {
    }

    private record Entry(PreparedTemplate template, List<Stamp> stamps) {

        boolean current() {
            for (Stamp s : stamps) {
                if (!s.equals(Stamp.of(s.file()))) return false;
            }
            return true;
        }
    }

    /** What tells a changed file: its size and modification time; null when it cannot be read. */
    private record Stamp(Path file, long size, FileTime modified) {

        static Stamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(file, a.size(), a.lastModifiedTime());
            } catch (IOException e) {
                return null;
            }
        }
    }
}
