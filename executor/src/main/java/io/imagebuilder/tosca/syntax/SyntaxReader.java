package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YSeq;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The read phase: turns one file's YAML into the syntax model, checking the grammar of every key. */
public final class SyntaxReader {

    public static final Set<String> VERSIONS = Set.of("tosca_simple_yaml_1_0", "tosca_simple_yaml_1_1",
            "tosca_simple_yaml_1_2", "tosca_simple_yaml_1_3");

    private static final Set<String> TOP_KEYS = Set.of("tosca_definitions_version", "namespace", "metadata",
            "description", "dsl_definitions", "repositories", "imports", "artifact_types", "data_types",
            "capability_types", "interface_types", "relationship_types", "node_types", "group_types",
            "policy_types", "topology_template", "template_name", "template_author", "template_version");
    private static final Set<String> TOPOLOGY_KEYS = Set.of("description", "inputs", "node_templates",
            "relationship_templates", "groups", "policies", "outputs", "substitution_mappings", "workflows");
    private static final Set<String> PROPERTY_KEYS = Set.of("type", "description", "required", "default", "value",
            "status", "constraints", "key_schema", "entry_schema", "metadata", "external-schema");
    private static final Set<String> SCHEMA_KEYS = Set.of("type", "description", "constraints", "key_schema",
            "entry_schema");
    private static final Set<String> CAPABILITY_KEYS = Set.of("type", "description", "properties", "attributes",
            "valid_source_types", "occurrences");
    private static final Set<String> REQUIREMENT_KEYS = Set.of("capability", "node", "relationship", "occurrences",
            "description");
    private static final Set<String> INTERFACE_META_KEYS = Set.of("type", "description", "inputs", "operations",
            "notifications");
    private static final Set<String> OPERATION_KEYS = Set.of("description", "implementation", "inputs", "outputs");
    private static final Set<String> IMPLEMENTATION_KEYS = Set.of("primary", "dependencies", "timeout",
            "operation_host");
    private static final Set<String> ARTIFACT_KEYS = Set.of("type", "file", "repository", "description",
            "deploy_path", "properties", "artifact_version", "checksum", "checksum_algorithm");
    private static final Set<String> NODE_TEMPLATE_KEYS = Set.of("type", "description", "metadata", "directives",
            "properties", "attributes", "requirements", "capabilities", "interfaces", "artifacts", "node_filter",
            "copy");
    private static final Set<String> REQUIREMENT_ASSIGNMENT_KEYS = Set.of("node", "capability", "relationship",
            "node_filter", "occurrences");
    private static final Set<String> RELATIONSHIP_ASSIGNMENT_KEYS = Set.of("type", "properties", "interfaces");
    private static final Set<String> RELATIONSHIP_TEMPLATE_KEYS = Set.of("type", "description", "metadata",
            "properties", "attributes", "interfaces", "copy");
    private static final Set<String> OUTPUT_KEYS = Set.of("description", "value", "type", "required", "status",
            "constraints", "entry_schema", "key_schema", "metadata", "default");
    private static final Set<String> IMPORT_KEYS = Set.of("file", "repository", "namespace_prefix", "namespace_uri");

    private final Problems problems;
    private final TriggerReader triggers;

    public SyntaxReader(Problems problems) {
        this.problems = problems;
        this.triggers = new TriggerReader(problems, this);
    }

    public ServiceTemplate read(YNode root, Path path, String displayName) {
        Fields f = Fields.of(root, "the service template", TOP_KEYS, problems);
        if (f == null) return emptyTemplate(path, displayName, root.location());
        Name version = f.name("tosca_definitions_version");
        if (version == null) {
            problems.add(Location.of(displayName, 1, 1), "missing \"tosca_definitions_version\"; expected one of "
                    + String.join(", ", new java.util.TreeSet<>(VERSIONS)));
        } else if (!VERSIONS.contains(version.value())) {
            problems.add(version.location(), "unsupported tosca_definitions_version \"" + version.value()
                    + "\"; expected one of " + String.join(", ", new java.util.TreeSet<>(VERSIONS)));
        }
        if (f.node("repositories") != null) {
            problems.add(f.map().keyLocation("repositories"), "\"repositories\" is not supported; "
                    + "import files by relative path");
        }
        Map<String, String> metadata = f.metadata();
        for (String legacy : List.of("template_name", "template_author", "template_version")) {
            String value = f.string(legacy);
            if (value != null) metadata.putIfAbsent(legacy, value);
        }
        Map<TypeKind, Map<String, TypeDef>> types = new EnumMap<>(TypeKind.class);
        for (TypeKind kind : TypeKind.values()) {
            YMap section = f.mapOf(kind.section());
            if (section != null) types.put(kind, typeDefs(kind, section));
        }
        YNode topology = f.node("topology_template");
        return new ServiceTemplate(path, displayName, version, metadata, f.string("description"), imports(f),
                types, topology == null ? null : topology(topology), root.location());
    }

    private static ServiceTemplate emptyTemplate(Path path, String displayName, Location location) {
        return new ServiceTemplate(path, displayName, null, Map.of(), null, List.of(), Map.of(), null, location);
    }

    // --- imports -------------------------------------------------------------------------------------

    private List<ImportDef> imports(Fields f) {
        List<ImportDef> out = new ArrayList<>();
        YSeq seq = f.listOf("imports");
        if (seq == null) return out;
        for (YNode item : seq.items()) {
            if (item instanceof YScalar s && s.value() instanceof String file) {
                out.add(new ImportDef(Name.of(file, item.location()), null, null, item.location()));
            } else if (item instanceof YMap m && m.has("file")) {
                importMap(item, out);
            } else if (item instanceof YMap m && m.size() == 1) {
                // TOSCA 1.0 named import: "- name: file" or "- name: {file: ...}"
                YNode value = m.entries().values().iterator().next();
                if (value instanceof YScalar s && s.value() instanceof String file) {
                    out.add(new ImportDef(Name.of(file, value.location()), null, null, item.location()));
                } else {
                    importMap(value, out);
                }
            } else {
                problems.add(item, "expected an import as a file path or {file: ...}, got " + item.describe());
            }
        }
        return out;
    }

    private void importMap(YNode node, List<ImportDef> out) {
        Fields f = Fields.of(node, "an import", IMPORT_KEYS, problems);
        if (f == null) return;
        Name file = f.name("file");
        if (file == null) {
            problems.add(node, "import has no \"file\"");
            return;
        }
        String repository = f.string("repository");
        if (repository != null) {
            problems.add(f.map().keyLocation("repository"), "imports from repositories are not supported; "
                    + "import files by relative path");
            return; // the file is in the repository, not next to the importer
        }
        out.add(new ImportDef(file, repository, f.string("namespace_prefix"), node.location()));
    }

    // --- types ---------------------------------------------------------------------------------------

    private Map<String, TypeDef> typeDefs(TypeKind kind, YMap section) {
        Map<String, TypeDef> out = new LinkedHashMap<>();
        section.entries().forEach((name, node) -> {
            TypeDef def = typeDef(kind, Name.of(name, section.keyLocation(name)), node);
            if (def != null) out.put(name, def);
        });
        return out;
    }

    private TypeDef typeDef(TypeKind kind, Name name, YNode node) {
        Set<String> allowed = new HashSet<>(TypeKind.COMMON_KEYS);
        allowed.addAll(kind.keys());
        if (kind == TypeKind.INTERFACE && node instanceof YMap m) {
            allowed.addAll(m.keys()); // TOSCA 1.0-1.2 interface types list operations at the top level
        }
        String what = kind.label() + " \"" + name.value() + "\"";
        Fields f = Fields.of(node, what, allowed, problems);
        if (f == null) return null;
        Map<String, OperationDef> operations = new LinkedHashMap<>();
        Map<String, InputDef> inputs = Map.of();
        if (kind == TypeKind.INTERFACE) {
            inputs = inputs(f.mapOf("inputs"), true);
            YMap ops = f.mapOf("operations");
            if (ops != null) ops.entries().forEach((k, v) -> operations.put(k, operation(ops, k, v, true)));
            for (String key : f.map().keys()) {
                if (TypeKind.COMMON_KEYS.contains(key) || kind.keys().contains(key)) continue;
                operations.put(key, operation(f.map(), key, f.node(key), true));
            }
        }
        if (kind == TypeKind.INTERFACE && f.node("notifications") != null) {
            problems.add(f.map().keyLocation("notifications"), "interface notifications are not supported");
        }
        return new TypeDef(kind, name, f.name("derived_from"), f.string("description"), versionText(f),
                f.metadata(), propertyDefs(f.mapOf("properties"), what, true),
                propertyDefs(f.mapOf("attributes"), what, false),
                capabilityDefs(f.mapOf("capabilities")), requirementDefs(f.listOf("requirements")),
                interfaceDefs(f.mapOf("interfaces"), true), artifacts(f.mapOf("artifacts")),
                inputs, operations, constraints(f.listOf("constraints")),
                schema(f.node("key_schema")), schema(f.node("entry_schema")),
                f.names("valid_source_types"), f.names("valid_target_types"), f.names("members"),
                f.names("targets"), triggers.triggers(f.mapOf("triggers"), what), f.string("mime_type"),
                f.strings("file_ext"), node.location());
    }

    private static String versionText(Fields f) {
        YNode v = f.node("version");
        return v instanceof YScalar s && s.value() != null ? s.text() : null;
    }

    Map<String, PropertyDef> propertyDefs(YMap map, String owner, boolean requiredByDefault) {
        Map<String, PropertyDef> out = new LinkedHashMap<>();
        if (map == null) return out;
        map.entries().forEach((name, node) -> {
            PropertyDef def = propertyDef(Name.of(name, map.keyLocation(name)), node,
                    "definition of \"" + name + "\" in " + owner, requiredByDefault);
            if (def != null) out.put(name, def);
        });
        return out;
    }

    private PropertyDef propertyDef(Name name, YNode node, String what, boolean requiredByDefault) {
        return propertyDef(name, node, what, requiredByDefault, true);
    }

    private PropertyDef propertyDef(Name name, YNode node, String what, boolean requiredByDefault,
                                    boolean typeRequired) {
        if (node instanceof YScalar s && s.value() instanceof String typeName) {
            // shorthand some templates use: "port: integer"
            return new PropertyDef(name, Name.of(typeName, node.location()), null, requiredByDefault, null, null,
                    List.of(), null, null, null, Map.of(), node.location());
        }
        Fields f = Fields.of(node, "the " + what, PROPERTY_KEYS, problems);
        if (f == null) return null;
        Name type = f.name("type");
        if (type == null && typeRequired) problems.add(node, "the " + what + " has no \"type\"");
        return new PropertyDef(name, type, f.string("description"), f.bool("required", requiredByDefault),
                f.node("default"), f.node("value"), constraints(f.listOf("constraints")),
                schema(f.node("key_schema")), schema(f.node("entry_schema")), f.string("status"), f.metadata(),
                node.location());
    }

    private SchemaDef schema(YNode node) {
        if (node == null) return null;
        if (node instanceof YScalar s && s.value() instanceof String typeName) {
            return new SchemaDef(Name.of(typeName, node.location()), null, List.of(), null, null, node.location());
        }
        Fields f = Fields.of(node, "a schema definition", SCHEMA_KEYS, problems);
        if (f == null) return null;
        Name type = f.name("type");
        if (type == null) problems.add(node, "schema definition has no \"type\"");
        return new SchemaDef(type, f.string("description"), constraints(f.listOf("constraints")),
                schema(f.node("key_schema")), schema(f.node("entry_schema")), node.location());
    }

    List<ConstraintDef> constraints(YSeq seq) {
        List<ConstraintDef> out = new ArrayList<>();
        if (seq == null) return out;
        for (YNode item : seq.items()) {
            if (item instanceof YMap m && m.size() == 1) {
                String op = m.keys().iterator().next();
                out.add(new ConstraintDef(op, m.get(op), m.keyLocation(op)));
            } else {
                problems.add(item, "expected a constraint clause such as {greater_than: 0}, got " + item.describe());
            }
        }
        return out;
    }

    private Map<String, CapabilityDef> capabilityDefs(YMap map) {
        Map<String, CapabilityDef> out = new LinkedHashMap<>();
        if (map == null) return out;
        map.entries().forEach((name, node) -> {
            Name n = Name.of(name, map.keyLocation(name));
            if (node instanceof YScalar s && s.value() instanceof String type) {
                out.put(name, new CapabilityDef(n, Name.of(type, node.location()), null, Map.of(), Map.of(),
                        List.of(), null, node.location()));
                return;
            }
            String what = "capability \"" + name + "\"";
            Fields f = Fields.of(node, "the " + what, CAPABILITY_KEYS, problems);
            if (f == null) return;
            Name type = f.name("type");
            if (type == null) problems.add(node, "the " + what + " has no \"type\"");
            out.put(name, new CapabilityDef(n, type, f.string("description"),
                    propertyDefs(f.mapOf("properties"), what, true), propertyDefs(f.mapOf("attributes"), what, false),
                    f.names("valid_source_types"), occurrences(f.node("occurrences")), node.location()));
        });
        return out;
    }

    private List<RequirementDef> requirementDefs(YSeq seq) {
        List<RequirementDef> out = new ArrayList<>();
        if (seq == null) return out;
        for (YNode item : seq.items()) {
            if (!(item instanceof YMap m) || m.size() != 1) {
                problems.add(item, "expected a requirement definition such as {host: {capability: ...}}, got "
                        + item.describe());
                continue;
            }
            String name = m.keys().iterator().next();
            Name n = Name.of(name, m.keyLocation(name));
            YNode node = m.get(name);
            if (node instanceof YScalar s && s.value() instanceof String capability) {
                out.add(new RequirementDef(n, Name.of(capability, node.location()), null, null, Map.of(),
                        Occurrences.EXACTLY_ONE, node.location()));
                continue;
            }
            Fields f = Fields.of(node, "requirement definition \"" + name + "\"", REQUIREMENT_KEYS, problems);
            if (f == null) continue;
            Name capability = f.name("capability");
            if (capability == null) problems.add(node, "requirement definition \"" + name + "\" has no \"capability\"");
            Name relationship = null;
            Map<String, InterfaceDef> interfaces = Map.of();
            YNode rel = f.node("relationship");
            if (rel instanceof YScalar s && s.value() instanceof String type) {
                relationship = Name.of(type, rel.location());
            } else if (rel != null) {
                Fields rf = Fields.of(rel, "the relationship of requirement \"" + name + "\"",
                        Set.of("type", "description", "interfaces"), problems);
                if (rf != null) {
                    relationship = rf.name("type");
                    interfaces = interfaceDefs(rf.mapOf("interfaces"), true);
                }
            }
            Occurrences occ = occurrences(f.node("occurrences"));
            out.add(new RequirementDef(n, capability, f.name("node"), relationship, interfaces,
                    occ == null ? Occurrences.EXACTLY_ONE : occ, node.location()));
        }
        return out;
    }

    private Occurrences occurrences(YNode node) {
        if (node == null) return null;
        if (node instanceof YSeq seq && seq.size() == 2
                && seq.get(0) instanceof YScalar lo && lo.value() instanceof Long lower
                && seq.get(1) instanceof YScalar hi) {
            long upper;
            if (hi.value() instanceof Long l) upper = l;
            else if ("UNBOUNDED".equals(hi.value())) upper = Occurrences.UNBOUNDED;
            else upper = -1;
            if (lower >= 0 && upper >= lower) return new Occurrences(lower, upper);
        }
        problems.add(node, "expected occurrences as [lower, upper] with 0 <= lower <= upper (upper may be UNBOUNDED), got "
                + node.toPlain());
        return null;
    }

    Map<String, InterfaceDef> interfaceDefs(YMap map, boolean inType) {
        Map<String, InterfaceDef> out = new LinkedHashMap<>();
        if (map == null) return out;
        map.entries().forEach((name, node) -> {
            InterfaceDef def = interfaceDef(Name.of(name, map.keyLocation(name)), node, inType);
            if (def != null) out.put(name, def);
        });
        return out;
    }

    private InterfaceDef interfaceDef(Name name, YNode node, boolean inType) {
        if (!(node instanceof YMap m)) {
            problems.add(node, "expected a map for interface \"" + name.value() + "\", got " + node.describe());
            return null;
        }
        Set<String> allowed = new HashSet<>(m.keys()); // pre-1.3 style: operations next to type/inputs
        Fields f = Fields.of(node, "interface \"" + name.value() + "\"", allowed, problems);
        Map<String, OperationDef> operations = new LinkedHashMap<>();
        YMap ops = f.mapOf("operations");
        if (ops != null) ops.entries().forEach((k, v) -> operations.put(k, operation(ops, k, v, inType)));
        for (String key : m.keys()) {
            if (INTERFACE_META_KEYS.contains(key)) continue;
            operations.put(key, operation(m, key, m.get(key), inType));
        }
        if (f.node("notifications") != null) {
            problems.add(m.keyLocation("notifications"), "interface notifications are not supported");
        }
        return new InterfaceDef(name, f.name("type"), inputs(f.mapOf("inputs"), inType), operations,
                node.location());
    }

    private OperationDef operation(YMap parent, String name, YNode node, boolean inType) {
        Name n = Name.of(name, parent.keyLocation(name));
        if (node instanceof YScalar s && s.value() == null) {
            return new OperationDef(n, null, null, Map.of(), Map.of(), node.location());
        }
        if (node instanceof YScalar s && s.value() instanceof String primary) {
            ImplementationDef impl = new ImplementationDef(Name.of(primary, node.location()), List.of(), null, null,
                    node.location());
            return new OperationDef(n, null, impl, Map.of(), Map.of(), node.location());
        }
        Fields f = Fields.of(node, "operation \"" + name + "\"", OPERATION_KEYS, problems);
        if (f == null) return new OperationDef(n, null, null, Map.of(), Map.of(), node.location());
        Map<String, YNodeRef> outputs = new LinkedHashMap<>();
        YMap outs = f.mapOf("outputs");
        if (outs != null) {
            outs.entries().forEach((k, v) -> outputs.put(k, new YNodeRef(Name.of(k, outs.keyLocation(k)), v)));
        }
        return new OperationDef(n, f.string("description"), implementation(f.node("implementation")),
                inputs(f.mapOf("inputs"), inType), outputs, node.location());
    }

    private ImplementationDef implementation(YNode node) {
        if (node == null) return null;
        if (node instanceof YScalar s && s.value() instanceof String primary) {
            return new ImplementationDef(Name.of(primary, node.location()), List.of(), null, null, node.location());
        }
        Fields f = Fields.of(node, "an operation implementation", IMPLEMENTATION_KEYS, problems);
        if (f == null) return null;
        Name primary = artifactReference(f.node("primary"));
        List<Name> dependencies = new ArrayList<>();
        YSeq deps = f.listOf("dependencies");
        if (deps != null) {
            for (YNode d : deps.items()) {
                Name dep = artifactReference(d);
                if (dep != null) dependencies.add(dep);
            }
        }
        Long timeout = f.integer("timeout");
        if (timeout != null && timeout <= 0) {
            problems.add(f.node("timeout"), "timeout must be a positive number of seconds, got " + timeout);
        }
        return new ImplementationDef(primary, dependencies, timeout, f.string("operation_host"), node.location());
    }

    /** An implementation artifact: a file name, or (TOSCA 1.3) an inline artifact definition with "file". */
    private Name artifactReference(YNode node) {
        if (node == null) return null;
        if (node instanceof YScalar s && s.value() instanceof String file) return Name.of(file, node.location());
        Fields f = Fields.of(node, "an implementation artifact", ARTIFACT_KEYS, problems);
        if (f == null) return null;
        Name file = f.name("file");
        if (file == null) problems.add(node, "implementation artifact has no \"file\"");
        return file;
    }

    private Map<String, InputDef> inputs(YMap map, boolean inType) {
        Map<String, InputDef> out = new LinkedHashMap<>();
        if (map == null) return out;
        map.entries().forEach((name, node) -> {
            Name n = Name.of(name, map.keyLocation(name));
            if (inType && node instanceof YMap m && isParameterDefinition(m)) {
                // TOSCA 1.3 parameter definitions may leave out the type
                PropertyDef def = propertyDef(n, node, "definition of input \"" + name + "\"", true, false);
                if (def != null) out.put(name, InputDef.defined(def));
            } else {
                out.put(name, InputDef.assigned(n, node));
            }
        });
        return out;
    }

    /** In a type, a map with a type, a default or a value, and only the keys of a definition, defines an input. */
    private static boolean isParameterDefinition(YMap m) {
        return m.has("type") || ((m.has("default") || m.has("value")) && PROPERTY_KEYS.containsAll(m.keys()));
    }

    private Map<String, ArtifactDef> artifacts(YMap map) {
        Map<String, ArtifactDef> out = new LinkedHashMap<>();
        if (map == null) return out;
        map.entries().forEach((name, node) -> {
            Name n = Name.of(name, map.keyLocation(name));
            if (node instanceof YScalar s && s.value() instanceof String file) {
                out.put(name, new ArtifactDef(n, null, Name.of(file, node.location()), null, null, null, null,
                        node.location()));
                return;
            }
            Fields f = Fields.of(node, "artifact \"" + name + "\"", ARTIFACT_KEYS, problems);
            if (f == null) return;
            Name file = f.name("file");
            if (file == null) problems.add(node, "artifact \"" + name + "\" has no \"file\"");
            if (f.string("repository") != null) {
                problems.add(f.map().keyLocation("repository"), "artifact repositories are not supported");
            }
            out.put(name, new ArtifactDef(n, f.name("type"), file, f.string("repository"), f.string("description"),
                    f.string("deploy_path"), f.mapOf("properties"), node.location()));
        });
        return out;
    }

    // --- topology ------------------------------------------------------------------------------------

    private TopologyTemplate topology(YNode node) {
        Fields f = Fields.of(node, "topology_template", TOPOLOGY_KEYS, problems);
        if (f == null) return null;
        for (String unsupported : List.of("substitution_mappings", "workflows")) {
            if (f.node(unsupported) != null) {
                problems.add(f.map().keyLocation(unsupported), "\"" + unsupported
                        + "\" is not supported (see docs/tosca-deviations.md)");
            }
        }
        Map<String, NodeTemplateDef> nodes = new LinkedHashMap<>();
        YMap nodeMap = f.mapOf("node_templates");
        if (nodeMap != null) {
            nodeMap.entries().forEach((name, n) -> {
                NodeTemplateDef def = nodeTemplate(Name.of(name, nodeMap.keyLocation(name)), n);
                if (def != null) nodes.put(name, def);
            });
        }
        Map<String, RelationshipTemplateDef> relationships = new LinkedHashMap<>();
        YMap relMap = f.mapOf("relationship_templates");
        if (relMap != null) {
            relMap.entries().forEach((name, n) -> {
                RelationshipTemplateDef def = relationshipTemplate(Name.of(name, relMap.keyLocation(name)), n);
                if (def != null) relationships.put(name, def);
            });
        }
        return new TopologyTemplate(f.string("description"),
                propertyDefs(f.mapOf("inputs"), "topology inputs", true), nodes, relationships,
                groups(f.mapOf("groups")), policies(f.listOf("policies")), outputs(f.mapOf("outputs")),
                node.location());
    }

    private NodeTemplateDef nodeTemplate(Name name, YNode node) {
        String what = "node template \"" + name.value() + "\"";
        Fields f = Fields.of(node, what, NODE_TEMPLATE_KEYS, problems);
        if (f == null) return null;
        Name type = f.name("type");
        // a copy takes its type from the template it copies; copy itself is reported below
        if (type == null && f.node("copy") == null) problems.add(name.location(), "the " + what + " has no \"type\"");
        for (String unsupported : List.of("node_filter", "copy")) {
            if (f.node(unsupported) != null) {
                problems.add(f.map().keyLocation(unsupported), "\"" + unsupported + "\" in node templates is not "
                        + "supported (see docs/tosca-deviations.md)");
            }
        }
        Map<String, CapabilityAssignment> capabilities = new LinkedHashMap<>();
        YMap caps = f.mapOf("capabilities");
        if (caps != null) {
            caps.entries().forEach((cap, v) -> {
                Fields cf = Fields.of(v, "capability \"" + cap + "\" of " + what,
                        Set.of("properties", "attributes", "occurrences"), problems);
                if (cf != null) {
                    capabilities.put(cap, new CapabilityAssignment(Name.of(cap, caps.keyLocation(cap)),
                            cf.mapOf("properties"), cf.mapOf("attributes"), v.location()));
                }
            });
        }
        return new NodeTemplateDef(name, type, f.string("description"), f.metadata(), f.strings("directives"),
                f.mapOf("properties"), f.mapOf("attributes"), requirementAssignments(f.listOf("requirements"), what),
                capabilities, interfaceDefs(f.mapOf("interfaces"), false), artifacts(f.mapOf("artifacts")),
                node.location());
    }

    private List<RequirementAssignment> requirementAssignments(YSeq seq, String owner) {
        List<RequirementAssignment> out = new ArrayList<>();
        if (seq == null) return out;
        for (YNode item : seq.items()) {
            if (!(item instanceof YMap m) || m.size() != 1) {
                problems.add(item, "expected a requirement such as {host: node_name} in " + owner + ", got "
                        + item.describe());
                continue;
            }
            String name = m.keys().iterator().next();
            Name n = Name.of(name, m.keyLocation(name));
            YNode node = m.get(name);
            if (node instanceof YScalar s && s.value() instanceof String target) {
                out.add(new RequirementAssignment(n, Name.of(target, node.location()), null, null, node.location()));
                continue;
            }
            Fields f = Fields.of(node, "requirement \"" + name + "\" of " + owner, REQUIREMENT_ASSIGNMENT_KEYS,
                    problems);
            if (f == null) continue;
            if (f.node("node_filter") != null) {
                problems.add(f.map().keyLocation("node_filter"), "node_filter is not supported; name the target "
                        + "node with \"node\"");
            }
            RelationshipAssignment relationship = null;
            YNode rel = f.node("relationship");
            if (rel instanceof YScalar s && s.value() instanceof String type) {
                relationship = new RelationshipAssignment(Name.of(type, rel.location()), null, Map.of(),
                        rel.location());
            } else if (rel != null) {
                Fields rf = Fields.of(rel, "the relationship of requirement \"" + name + "\"",
                        RELATIONSHIP_ASSIGNMENT_KEYS, problems);
                if (rf != null) {
                    relationship = new RelationshipAssignment(rf.name("type"), rf.mapOf("properties"),
                            interfaceDefs(rf.mapOf("interfaces"), false), rel.location());
                }
            }
            Name target = f.name("node");
            if (target == null) {
                problems.add(node, "requirement \"" + name + "\" of " + owner + " names no target \"node\"");
            }
            out.add(new RequirementAssignment(n, target, f.name("capability"), relationship, node.location()));
        }
        return out;
    }

    private RelationshipTemplateDef relationshipTemplate(Name name, YNode node) {
        String what = "relationship template \"" + name.value() + "\"";
        Fields f = Fields.of(node, what, RELATIONSHIP_TEMPLATE_KEYS, problems);
        if (f == null) return null;
        Name type = f.name("type");
        if (f.node("copy") != null) {
            problems.add(f.map().keyLocation("copy"), "\"copy\" in relationship templates is not supported "
                    + "(see docs/tosca-deviations.md)");
        } else if (type == null) {
            problems.add(name.location(), "the " + what + " has no \"type\"");
        }
        return new RelationshipTemplateDef(name, type, f.string("description"), f.mapOf("properties"),
                f.mapOf("attributes"), interfaceDefs(f.mapOf("interfaces"), false), node.location());
    }

    private Map<String, GroupDef> groups(YMap map) {
        Map<String, GroupDef> out = new LinkedHashMap<>();
        if (map == null) return out;
        map.entries().forEach((name, node) -> {
            GroupDef g = group(Name.of(name, map.keyLocation(name)), node, "group", "members");
            if (g != null) out.put(name, g);
        });
        return out;
    }

    private List<GroupDef> policies(YSeq seq) {
        List<GroupDef> out = new ArrayList<>();
        if (seq == null) return out;
        for (YNode item : seq.items()) {
            if (item instanceof YMap m && m.size() == 1) {
                String name = m.keys().iterator().next();
                GroupDef p = group(Name.of(name, m.keyLocation(name)), m.get(name), "policy", "targets");
                if (p != null) out.add(p);
            } else {
                problems.add(item, "expected a policy such as {my_policy: {type: ...}}, got " + item.describe());
            }
        }
        return out;
    }

    private GroupDef group(Name name, YNode node, String kind, String membersKey) {
        String what = kind + " \"" + name.value() + "\"";
        Set<String> keys = new HashSet<>(Set.of("type", "description", "metadata", "properties", membersKey,
                "interfaces", "attributes"));
        if (kind.equals("policy")) keys.add("triggers");
        Fields f = Fields.of(node, what, keys, problems);
        if (f == null) return null;
        Name type = f.name("type");
        if (type == null) problems.add(name.location(), "the " + what + " has no \"type\"");
        return new GroupDef(name, type, f.string("description"), f.mapOf("properties"), f.names(membersKey),
                triggers.triggers(f.mapOf("triggers"), what), node.location());
    }

    private Map<String, OutputDef> outputs(YMap map) {
        Map<String, OutputDef> out = new LinkedHashMap<>();
        if (map == null) return out;
        map.entries().forEach((name, node) -> {
            Fields f = Fields.of(node, "output \"" + name + "\"", OUTPUT_KEYS, problems);
            if (f == null) return;
            YNode value = f.node("value");
            if (value == null) problems.add(map.keyLocation(name), "output \"" + name + "\" has no \"value\"");
            out.put(name, new OutputDef(Name.of(name, map.keyLocation(name)), f.string("description"),
                    f.name("type"), value, node.location()));
        });
        return out;
    }
}
