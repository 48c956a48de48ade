package io.imagebuilder.tosca;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.tosca.function.FunctionsPhase;
import io.imagebuilder.tosca.load.ReadPhase;
import io.imagebuilder.tosca.load.Sources;
import io.imagebuilder.tosca.topology.TemplatesPhase;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.tosca.topology.TopologyPhase;
import io.imagebuilder.tosca.types.NamesPhase;
import io.imagebuilder.tosca.types.TypeSystem;
import io.imagebuilder.tosca.types.TypesPhase;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YamlReader;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a service template and its inputs into a validated topology, in named phases. Each phase collects all
 * the problems it finds; the next phase runs only when there are none, and the problems are thrown together as an
 * {@link io.imagebuilder.problem.InvalidInputException}.
 */
public final class ToscaLoader {

    public static final List<String> PHASES = List.of("reading", "resolving names and imports",
            "resolving type hierarchies", "rendering templates", "resolving functions", "building the topology");

    private final Path workingDirectory;
    private final long maxBytes;
    private final TemplateCache cache;

    public ToscaLoader(Path workingDirectory) {
        this(workingDirectory, YamlReader.DEFAULT_MAX_BYTES);
    }

    /** {@code maxBytes}: the largest file this reads, templates, imports and inputs files alike. */
    public ToscaLoader(Path workingDirectory, long maxBytes) {
        this(workingDirectory, maxBytes, null);
    }

    /** {@code cache} (may be null): where templates are kept read and type-checked between loads. */
    public ToscaLoader(Path workingDirectory, long maxBytes, TemplateCache cache) {
        this.workingDirectory = workingDirectory;
        this.maxBytes = maxBytes;
        this.cache = cache;
    }

    /**
     * Reads and type-checks a template into this loader's cache ahead of its loads, so that they only render it
     * with their inputs. Problems are left for those loads to report.
     */
    public void prepareAhead(Path template) {
        if (cache == null) throw new IllegalStateException("a loader without a cache keeps nothing ahead");
        cache.prepared(template, this, workingDirectory, maxBytes);
    }

    public Topology load(Path template, List<Path> inputFiles) {
        return load(template, inputFiles, null);
    }

    /** {@code extraInputs} (may be null) are layered over the files' inputs, as one more file would be. */
    public Topology load(Path template, List<Path> inputFiles, YMap extraInputs) {
        PreparedTemplate prepared = cache == null ? null : cache.prepared(template, this, workingDirectory, maxBytes);
        if (prepared != null) return load(prepared, inputFiles, extraInputs);
        Problems problems = new Problems();
        ReadPhase reader = new ReadPhase(problems, workingDirectory, maxBytes);
        Sources sources = reader.run(template);
        InputValues inputs = readInputs(inputFiles, extraInputs, reader, problems);
        problems.throwIfAny(PHASES.get(0));
        return render(sources, typeSystem(sources, problems), inputs, problems);
    }

    /**
     * Reads and type-checks a template without inputs, for rendering it with many: what it finds wrong is thrown
     * as {@link #load} would throw it for any inputs.
     */
    public PreparedTemplate prepare(Path template) {
        Problems problems = new Problems();
        Sources sources = new ReadPhase(problems, workingDirectory, maxBytes).run(template);
        problems.throwIfAny(PHASES.get(0));
        return new PreparedTemplate(sources, typeSystem(sources, problems), workingDirectory, maxBytes);
    }

    /** As {@link #load(Path, List, YMap)}, for a template this loader's settings prepared. */
    public Topology load(PreparedTemplate template, List<Path> inputFiles, YMap extraInputs) {
        if (!template.preparedBy(workingDirectory, maxBytes)) {
            throw new IllegalArgumentException("the template was prepared with other settings than this loader's");
        }
        Problems problems = new Problems();
        ReadPhase reader = new ReadPhase(problems, workingDirectory, maxBytes);
        InputValues inputs = readInputs(inputFiles, extraInputs, reader, problems);
        problems.throwIfAny(PHASES.get(0));
        return render(template.sources(), template.types(), inputs, problems);
    }

    private static TypeSystem typeSystem(Sources sources, Problems problems) {
        TypeSystem names = new NamesPhase(problems).run(sources);
        problems.throwIfAny(PHASES.get(1));

        TypeSystem types = new TypesPhase(problems).run(names);
        problems.throwIfAny(PHASES.get(2));
        return types;
    }

    private Topology render(Sources sources, TypeSystem types, InputValues inputs, Problems problems) {
        Topology rendered = new TemplatesPhase(problems, workingDirectory)
                .run(sources.main(), types, inputs.values(), inputs.location());
        problems.throwIfAny(PHASES.get(3));

        Topology resolved = new FunctionsPhase(problems).run(rendered);
        problems.throwIfAny(PHASES.get(4));

        Topology topology = new TopologyPhase(problems).run(resolved);
        problems.throwIfAny(PHASES.get(5));
        return topology;
    }

    private record InputValues(YMap values, Location location) {
    }

    /** Later files override earlier ones, key by key, as with repeated -i options elsewhere. */
    private static InputValues readInputs(List<Path> files, YMap extra, ReadPhase reader, Problems problems) {
        Map<String, YNode> merged = new LinkedHashMap<>();
        Map<String, Location> keys = new LinkedHashMap<>();
        Location location = Location.file("(no inputs file given; pass one with -i)");
        for (Path file : files) {
            Path abs = file.toAbsolutePath().normalize();
            String name = reader.displayName(abs);
            location = Location.file(name);
            Optional<YNode> root = YamlReader.read(abs, name, problems, reader.maxBytes());
            if (root.isEmpty()) continue;
            if (root.get() instanceof YScalar s && s.value() == null) continue;
            if (!(root.get() instanceof YMap map)) {
                problems.add(root.get(), "an inputs file must be a map of input names to values, got "
                        + root.get().describe());
                continue;
            }
            merged.putAll(map.entries());
            keys.putAll(map.keyLocations());
        }
        if (extra != null) {
            merged.putAll(extra.entries());
            keys.putAll(extra.keyLocations());
            if (files.isEmpty()) location = extra.location();
        }
        return new InputValues(new YMap(merged, keys, location), location);
    }
}
