package io.imagebuilder.tosca.topology;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.Suggestions;
import io.imagebuilder.tosca.load.ReadPhase;
import io.imagebuilder.tosca.load.SourceFile;
import io.imagebuilder.tosca.syntax.ArtifactDef;
import io.imagebuilder.tosca.syntax.CapabilityAssignment;
import io.imagebuilder.tosca.syntax.GroupDef;
import io.imagebuilder.tosca.syntax.InputDef;
import io.imagebuilder.tosca.syntax.InterfaceDef;
import io.imagebuilder.tosca.syntax.Name;
import io.imagebuilder.tosca.syntax.NodeTemplateDef;
import io.imagebuilder.tosca.syntax.OperationDef;
import io.imagebuilder.tosca.syntax.OutputDef;
import io.imagebuilder.tosca.syntax.RelationshipAssignment;
import io.imagebuilder.tosca.syntax.RelationshipTemplateDef;
import io.imagebuilder.tosca.syntax.RequirementAssignment;
import io.imagebuilder.tosca.syntax.TopologyTemplate;
import io.imagebuilder.tosca.syntax.TypeKind;
import io.imagebuilder.tosca.types.ResolvedCapability;
import io.imagebuilder.tosca.types.ResolvedInterface;
import io.imagebuilder.tosca.types.ResolvedProperty;
import io.imagebuilder.tosca.types.ResolvedRequirement;
import io.imagebuilder.tosca.types.ResolvedType;
import io.imagebuilder.tosca.types.Scope;
import io.imagebuilder.tosca.types.TypeResolver;
import io.imagebuilder.tosca.types.TypeSystem;
import io.imagebuilder.tosca.types.ValueChecker;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YSeq;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The templates phase: binds inputs, applies each node template's type (required properties, defaults, value
 * types), and binds requirements to target nodes and capabilities through typed relationships.
 */
public final class TemplatesPhase {

    private final Problems problems;
    private final TypeResolver types;
    private final ValueChecker checker;
    private final Secrets secrets = new Secrets();
    private final Path workingDirectory;
    /** Rendered interfaces of types, for templates that assign none, by base directory. */
    private final Map<String, Map<Map<String, ResolvedInterface>, Map<String, Interface>>> unassignedInterfaces =
            new HashMap<>();
    private final Map<String, Path> directories = new HashMap<>();

    public TemplatesPhase(Problems problems) {
        this(problems, Path.of(""));
    }

    /** {@code workingDirectory}: what the relative file names in locations are relative to, as ReadPhase shows them. */
    public TemplatesPhase(Problems problems, Path workingDirectory) {
        this.workingDirectory = workingDirectory;
        this.problems = problems;
        this.types = TypeResolver.afterTypes(problems);
        this.checker = new ValueChecker(problems, secrets::mark);
    }

    public Topology run(SourceFile main, TypeSystem system, YMap inputValues, Location inputsLocation) {
        TopologyTemplate t = main.template().topology();
        Scope scope = system.scope(main.displayName());
        Path path = main.template().path();
        String baseDirectory = path == null || path.getParent() == null ? "." : path.getParent().toString();
        if (t == null) {
            problems.add(main.template().location(), "the service template has no topology_template; "
                    + "there is nothing to deploy");
            return new Topology(path, main.displayName(), Map.of(), Map.of(), Map.of(), Map.of(), List.of(), List.of(),
                    secrets);
        }
        Map<String, Input> inputs = inputs(t, scope, inputValues, inputsLocation);
        Map<String, Node> nodes = new LinkedHashMap<>();
        Map<String, ResolvedType> nodeTypes = new HashMap<>();
        t.nodeTemplates().forEach((name, def) -> {
            ResolvedType type = TypeSystem.lookup(scope, TypeKind.NODE, def.type(), problems);
            if (type != null) nodeTypes.put(name, type);
        });
        t.nodeTemplates().forEach((name, def) -> {
            ResolvedType type = nodeTypes.get(name);
            if (type != null) {
                nodes.put(name, node(def, type, scope, t, nodeTypes, baseDirectory));
            }
        });
        checkOccurrences(t, nodeTypes);
        Map<String, Relationship> unusedRelationships = unusedRelationshipTemplates(t, scope);
        Map<String, Output> outputs = new LinkedHashMap<>();
        t.outputs().forEach((name, def) -> {
            if (def.type() != null && def.value() != null) {
                // values computed by functions are checked when they are known
                var type = types.valueType(def.type(), null, null, scope);
                if (type != null) checker.check(def.value(), type, List.of(), "output \"" + name + "\"");
            }
            outputs.put(name, output(def));
        });
        List<Group> groups = new ArrayList<>();
        t.groups().values().forEach(g -> groups.add(group(g, scope, TypeKind.GROUP, t, null)));
        List<Group> policies = new ArrayList<>();
        PolicyTriggers triggers = new PolicyTriggers(problems, types, checker, scope, nodes, t);
        t.policies().forEach(p -> policies.add(group(p, scope, TypeKind.POLICY, t, triggers)));
        groups.removeIf(java.util.Objects::isNull);
        policies.removeIf(java.util.Objects::isNull);
        return new Topology(path, main.displayName(), inputs, nodes, unusedRelationships, outputs, groups, policies,
                secrets);
    }

    // --- inputs --------------------------------------------------------------------------------------

    private Map<String, Input> inputs(TopologyTemplate t, Scope scope, YMap given, Location inputsLocation) {
        Map<String, Input> out = new LinkedHashMap<>();
        for (String name : given.keys()) {
            if (!t.inputs().containsKey(name)) {
                problems.add(given.keyLocation(name), "unknown input \"" + name + "\"" + inputHint(name, t));
            }
        }
        t.inputs().forEach((name, def) -> {
            ResolvedProperty p = types.property(def, scope, "input \"" + name + "\"");
            if (p == null) return;
            YNode value = given.get(name);
            if (value == null && p.hasDefault()) value = p.defaultValue();
            if (value == null && p.required()) {
                problems.add(inputsLocation, "missing required input \"" + name + "\" (" + p.type().describe()
                        + (p.description() == null ? "" : ": " + p.description()) + ")");
            }
            if (value != null) value = p.secret() ? checker.checkSecret(value, p.type(), p.constraints(), name)
                    : checker.check(value, p.type(), p.constraints(), name);
            if (p.secret() && value != null) secrets.mark(value);
            out.put(name, new Input(name, p, value));
        });
        return out;
    }

    private static String inputHint(String name, TopologyTemplate t) {
        String dym = Suggestions.didYouMean(name, t.inputs().keySet());
        if (!dym.isEmpty()) return dym;
        return t.inputs().isEmpty() ? "; the template declares no inputs"
                : "; the template declares " + String.join(", ", new TreeSet<>(t.inputs().keySet()));
    }

    // --- node templates ------------------------------------------------------------------------------

    private Node node(NodeTemplateDef def, ResolvedType type, Scope scope, TopologyTemplate t,
                      Map<String, ResolvedType> nodeTypes, String baseDirectory) {
        String owner = "node \"" + def.name().value() + "\"";
        Map<String, YNode> properties = values(def.properties(), type.properties(), def.name().location(),
                owner + " property ", owner, true);
        Map<String, YNode> attributes = attributeValues(def.attributes(), type.attributes(), owner);
        Map<String, Capability> capabilities = capabilities(def, type, owner);
        List<Relationship> requirements = new ArrayList<>();
        for (RequirementAssignment req : def.requirements()) {
            Relationship r = requirement(def, type, req, scope, t, nodeTypes, baseDirectory);
            if (r != null) requirements.add(r);
        }
        Map<String, Interface> interfaces = interfaces(type.interfaces(), def.interfaces(), scope, owner,
                baseDirectory);
        Map<String, Artifact> artifacts = artifacts(type, def, scope, baseDirectory);
        return new Node(def.name().value(), type, properties, attributes, capabilities, requirements, interfaces,
                artifacts, def.location());
    }

    /** Checks given values against definitions, fills defaults and reports missing required ones. */
    private Map<String, YNode> values(YMap given, Map<String, ResolvedProperty> defs, Location at, String pathPrefix,
                                      String owner, boolean enforceRequired) {
        Map<String, YNode> out = new LinkedHashMap<>();
        if (given != null) {
            given.entries().forEach((k, v) -> {
                ResolvedProperty p = defs.get(k);
                if (p == null) {
                    problems.add(given.keyLocation(k), owner + " has no property \"" + k + "\""
                            + propertyHint(k, defs));
                    return;
                }
                YNode value = ValueChecker.isNull(v) && !p.required() ? v
                        : p.secret() ? checker.checkSecret(v, p.type(), p.constraints(), pathPrefix + k)
                        : checker.check(v, p.type(), p.constraints(), pathPrefix + k);
                if (p.secret()) secrets.mark(value);
                out.put(k, value);
            });
        }
        defs.forEach((k, p) -> {
            if (out.containsKey(k) || (given != null && given.has(k))) return;
            if (p.hasDefault()) {
                out.put(k, p.defaultValue());
                if (p.secret()) secrets.mark(p.defaultValue());
            } else if (p.required() && enforceRequired) {
                problems.add(at, owner + " is missing required property \"" + k + "\" (" + p.type().describe() + ")");
            }
        });
        return out;
    }

    private Map<String, YNode> attributeValues(YMap given, Map<String, ResolvedProperty> defs, String owner) {
        Map<String, YNode> out = new LinkedHashMap<>();
        if (given != null) {
            given.entries().forEach((k, v) -> {
                ResolvedProperty p = defs.get(k);
                if (p == null) {
                    problems.add(given.keyLocation(k), owner + " has no attribute \"" + k + "\""
                            + propertyHint(k, defs));
                    return;
                }
                out.put(k, checker.check(v, p.type(), p.constraints(), owner + " attribute " + k));
            });
        }
        return out;
    }

    private static String propertyHint(String name, Map<String, ResolvedProperty> defs) {
        String dym = Suggestions.didYouMean(name, defs.keySet());
        if (!dym.isEmpty()) return dym;
        return defs.isEmpty() ? "; its type defines none" : "; expected one of " + String.join(", ",
                new TreeSet<>(defs.keySet()));
    }

    private Map<String, Capability> capabilities(NodeTemplateDef def, ResolvedType type, String owner) {
        Map<String, Capability> out = new LinkedHashMap<>();
        for (CapabilityAssignment a : def.capabilities().values()) {
            if (!type.capabilities().containsKey(a.name().value())) {
                problems.add(a.name().location(), owner + " has no capability \"" + a.name().value() + "\""
                        + Suggestions.didYouMean(a.name().value(), type.capabilities().keySet()));
            }
        }
        type.capabilities().forEach((name, cap) -> {
            CapabilityAssignment a = def.capabilities().get(name);
            String capOwner = owner + " capability \"" + name + "\"";
            Map<String, YNode> props = values(a == null ? null : a.properties(), cap.properties(),
                    a == null ? def.location() : a.location(), capOwner + " property ", capOwner, a != null);
            Map<String, YNode> attrs = attributeValues(a == null ? null : a.attributes(), cap.attributes(), capOwner);
            out.put(name, new Capability(name, cap, props, attrs));
        });
        return out;
    }

    // --- requirements --------------------------------------------------------------------------------

    private Relationship requirement(NodeTemplateDef def, ResolvedType type, RequirementAssignment req,
                                     Scope scope, TopologyTemplate t, Map<String, ResolvedType> nodeTypes,
                                     String baseDirectory) {
        String source = def.name().value();
        String reqName = req.name().value();
        ResolvedRequirement rd = type.requirements().get(reqName);
        if (rd == null) {
            problems.add(req.name().location(), "node \"" + source + "\" (" + type.name() + ") has no requirement \""
                    + reqName + "\"" + hint(reqName, type.requirements().keySet()));
            return null;
        }
        if (req.node() == null) return null;
        String target = req.node().value();
        ResolvedType targetType = nodeTypes.get(target);
        if (!t.nodeTemplates().containsKey(target)) {
            problems.add(req.node().location(), "requirement \"" + reqName + "\" of node \"" + source
                    + "\" names node \"" + target + "\", which does not exist"
                    + Suggestions.didYouMean(target, t.nodeTemplates().keySet()));
            return null;
        }
        if (targetType == null) return null;
        if (target.equals(source)) {
            problems.add(req.node().location(), "node \"" + source + "\" cannot fulfil its own requirement \""
                    + reqName + "\"");
            return null;
        }
        if (rd.node() != null && !targetType.derivesFrom(rd.node())) {
            problems.add(req.node().location(), "requirement \"" + reqName + "\" of node \"" + source
                    + "\" needs a node of type " + rd.node().name() + ", but \"" + target + "\" is a "
                    + targetType.name());
            return null;
        }
        ResolvedCapability capability = targetCapability(req, rd, source, target, targetType, scope);
        if (capability == null) return null;
        if (!capability.validSourceTypes().isEmpty() && !computeOnCompute(capability, type, targetType)
                && capability.validSourceTypes().stream().noneMatch(type::derivesFrom)) {
            problems.add(req.location(), "capability \"" + capability.name() + "\" of node \"" + target
                    + "\" accepts only sources of type " + names(capability.validSourceTypes()) + "; \"" + source
                    + "\" is a " + type.name());
        }
        return relationship(source, reqName, target, capability, rd, req.relationship(), scope, t, baseDirectory,
                req.location());
    }

    private static final String COMPUTE = "tosca.nodes.Compute";

    /**
     * TOSCA 1.3 lets only SoftwareComponents be hosted on the normative Compute node; real-world blueprints host
     * Compute-derived nodes (a virtual machine, a container host) on a Compute, so that one pairing is allowed.
     */
    private static boolean computeOnCompute(ResolvedCapability capability, ResolvedType source, ResolvedType target) {
        return ReadPhase.NORMATIVE_NAME.equals(capability.location().file())
                && source.derivesFrom(COMPUTE) && target.derivesFrom(COMPUTE);
    }

    private ResolvedCapability targetCapability(RequirementAssignment req, ResolvedRequirement rd, String source,
                                                String target,
                                                ResolvedType targetType, Scope scope) {
        String where = "requirement \"" + req.name().value() + "\" of node \"" + source + "\"";
        if (req.capability() != null) {
            ResolvedCapability named = targetType.capabilities().get(req.capability().value());
            if (named == null) {
                ResolvedType capType = scope.lookup(TypeKind.CAPABILITY, req.capability().value());
                if (capType != null) named = firstOfType(targetType, capType);
            }
            if (named == null) {
                problems.add(req.capability().location(), "node \"" + target + "\" has no capability \""
                        + req.capability().value() + "\"" + Suggestions.didYouMean(req.capability().value(),
                        targetType.capabilities().keySet()));
                return null;
            }
            if (!named.type().derivesFrom(rd.capability())) {
                problems.add(req.capability().location(), "capability \"" + named.name() + "\" of node \"" + target
                        + "\" is a " + named.type().name() + ", but requirement \"" + req.name().value()
                        + "\" needs a " + rd.capability().name());
                return null;
            }
            return named;
        }
        ResolvedCapability found = firstOfType(targetType, rd.capability());
        if (found == null) {
            problems.add(req.node().location(), where + " names \"" + target + "\" (" + targetType.name()
                    + "), which has no capability of type " + rd.capability().name());
        }
        return found;
    }

    private static ResolvedCapability firstOfType(ResolvedType nodeType, ResolvedType capabilityType) {
        for (ResolvedCapability c : nodeType.capabilities().values()) {
            if (c.type().derivesFrom(capabilityType)) return c;
        }
        return null;
    }

    private Relationship relationship(String source, String reqName, String target, ResolvedCapability capability,
                                      ResolvedRequirement rd, RelationshipAssignment assignment, Scope scope,
                                      TopologyTemplate t, String baseDirectory, Location at) {
        ResolvedType relType = rd.relationship();
        YMap properties = null;
        YMap attributes = null;
        String templateName = null;
        List<InterfaceDef> interfaceDefs = new ArrayList<>();
        if (assignment != null && assignment.type() != null) {
            RelationshipTemplateDef template = t.relationshipTemplates().get(assignment.type().value());
            if (template != null) {
                relType = TypeSystem.lookup(scope, TypeKind.RELATIONSHIP, template.type(), problems);
                properties = template.properties();
                attributes = template.attributes();
                templateName = template.name().value();
                interfaceDefs.addAll(template.interfaces().values());
            } else {
                relType = TypeSystem.lookup(scope, TypeKind.RELATIONSHIP, assignment.type(), problems);
            }
            if (relType == null) return null;
            if (rd.relationship() != null && !relType.derivesFrom(rd.relationship())) {
                problems.add(assignment.type().location(), "requirement \"" + reqName + "\" needs a relationship of "
                        + "type " + rd.relationship().name() + ", but " + relType.name() + " does not derive from it");
            }
        }
        if (assignment != null) {
            if (assignment.properties() != null) properties = assignment.properties();
            interfaceDefs.addAll(assignment.interfaces().values());
        }
        if (relType == null) relType = scope.lookup(TypeKind.RELATIONSHIP, "tosca.relationships.Root");
        if (!relType.validTargetTypes().isEmpty()
                && relType.validTargetTypes().stream().noneMatch(capability.type()::derivesFrom)) {
            problems.add(at, "relationship " + relType.name() + " can target only " + names(relType.validTargetTypes())
                    + ", not capability \"" + capability.name() + "\" (" + capability.type().name() + ")");
        }
        String owner = "relationship \"" + reqName + "\" of node \"" + source + "\"";
        Map<String, YNode> props = values(properties, relType.properties(), at, owner + " property ", owner, true);
        Map<String, YNode> attrs = attributeValues(attributes, relType.attributes(), owner);
        Map<String, Interface> interfaces = interfaces(relType.interfaces(), merged(interfaceDefs), scope, owner,
                baseDirectory);
        return new Relationship(reqName, source, target, capability.name(), relType, templateName, props, attrs,
                interfaces, at);
    }

    private static Map<String, InterfaceDef> merged(List<InterfaceDef> defs) {
        Map<String, InterfaceDef> out = new LinkedHashMap<>();
        for (InterfaceDef d : defs) {
            InterfaceDef prev = out.get(d.name().value());
            if (prev == null) {
                out.put(d.name().value(), d);
            } else {
                Map<String, OperationDef> ops = new LinkedHashMap<>(prev.operations());
                ops.putAll(d.operations());
                Map<String, InputDef> inputs = new LinkedHashMap<>(prev.inputs());
                inputs.putAll(d.inputs());
                out.put(d.name().value(), new InterfaceDef(d.name(), d.type() != null ? d.type() : prev.type(),
                        inputs, ops, d.location()));
            }
        }
        return out;
    }

    private void checkOccurrences(TopologyTemplate t, Map<String, ResolvedType> nodeTypes) {
        t.nodeTemplates().forEach((name, def) -> {
            ResolvedType type = nodeTypes.get(name);
            if (type == null) return;
            Map<String, Integer> counts = new HashMap<>();
            for (RequirementAssignment r : def.requirements()) counts.merge(r.name().value(), 1, Integer::sum);
            type.requirements().forEach((reqName, rd) -> {
                int count = counts.getOrDefault(reqName, 0);
                if (count < rd.occurrences().lower()) {
                    problems.add(def.name().location(), "node \"" + name + "\" must assign requirement \"" + reqName
                            + "\" (" + rd.capability().name() + ") at least " + rd.occurrences().lower()
                            + " time" + (rd.occurrences().lower() == 1 ? "" : "s") + "; it is assigned " + count
                            + " time" + (count == 1 ? "" : "s"));
                } else if (count > rd.occurrences().upper()) {
                    problems.add(def.name().location(), "node \"" + name + "\" assigns requirement \"" + reqName
                            + "\" " + count + " times; at most " + rd.occurrences().upper() + " allowed");
                }
            });
        });
    }

    /**
     * A relationship template no requirement uses is still part of the topology, and must be valid; functions may
     * name it, so it is kept, without ends.
     */
    private Map<String, Relationship> unusedRelationshipTemplates(TopologyTemplate t, Scope scope) {
        Map<String, Relationship> out = new LinkedHashMap<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (NodeTemplateDef n : t.nodeTemplates().values()) {
            for (RequirementAssignment r : n.requirements()) {
                if (r.relationship() != null && r.relationship().type() != null) {
                    used.add(r.relationship().type().value());
                }
            }
        }
        t.relationshipTemplates().forEach((name, def) -> {
            if (used.contains(name)) return; // checked where it is used
            ResolvedType type = TypeSystem.lookup(scope, TypeKind.RELATIONSHIP, def.type(), problems);
            if (type == null) return;
            String owner = "relationship template \"" + name + "\"";
            Map<String, YNode> props = values(def.properties(), type.properties(), def.name().location(),
                    owner + " property ", owner, true);
            Map<String, YNode> attrs = attributeValues(def.attributes(), type.attributes(), owner);
            Map<String, Interface> interfaces = interfaces(type.interfaces(), def.interfaces(), scope, owner, ".");
            out.put(name, new Relationship(null, null, null, null, type, name, props, attrs, interfaces,
                    def.location()));
        });
        return out;
    }

    // --- interfaces and artifacts --------------------------------------------------------------------

    private Map<String, Interface> interfaces(Map<String, ResolvedInterface> typeInterfaces,
                                              Map<String, InterfaceDef> assigned, Scope scope, String owner,
                                              String baseDirectory) {
        if (!assigned.isEmpty()) return render(typeInterfaces, assigned, scope, owner, baseDirectory);
        // the same for every template of the type; rendered once, as large topologies repeat few types
        return unassignedInterfaces.computeIfAbsent(baseDirectory, b -> new IdentityHashMap<>())
                .computeIfAbsent(typeInterfaces, ti -> render(ti, assigned, scope, owner, baseDirectory));
    }

    private Map<String, Interface> render(Map<String, ResolvedInterface> typeInterfaces,
                                          Map<String, InterfaceDef> assigned, Scope scope, String owner,
                                          String baseDirectory) {
        Map<String, ResolvedInterface> merged = new LinkedHashMap<>(typeInterfaces);
        assigned.forEach((name, def) -> {
            ResolvedInterface base = typeInterfaces.get(name);
            if (base == null) {
                if (def.type() == null) {
                    problems.add(def.name().location(), owner + " has no interface \"" + name + "\""
                            + Suggestions.didYouMean(name, typeInterfaces.keySet()));
                    return;
                }
                ResolvedType type = TypeSystem.lookup(scope, TypeKind.INTERFACE, def.type(), problems);
                if (type == null) return;
                base = TypeResolver.declared(name, type);
            } else if (def.type() != null) {
                ResolvedType type = TypeSystem.lookup(scope, TypeKind.INTERFACE, def.type(), problems);
                if (type == null) return;
                if (!type.derivesFrom(base.type())) {
                    problems.add(def.type().location(), "interface \"" + name + "\" of " + owner + " is of type "
                            + base.type().name() + "; " + type.name() + " does not derive from it");
                    return;
                }
            }
            merged.put(name, types.merge(base, def, base.type()));
        });
        Map<String, Interface> out = new LinkedHashMap<>();
        merged.forEach((name, ri) -> {
            Map<String, Operation> ops = new LinkedHashMap<>();
            ri.operations().forEach((opName, op) -> ops.put(opName, operation(name, op, ri, baseDirectory)));
            out.put(name, new Interface(name, ri.type(), ops));
        });
        return out;
    }

    private Operation operation(String interfaceName, OperationDef op, ResolvedInterface ri, String baseDirectory) {
        Map<String, YNode> inputs = new LinkedHashMap<>();
        ri.inputs().forEach((k, v) -> {
            if (v.effectiveValue() != null) inputs.put(k, v.effectiveValue());
        });
        op.inputs().forEach((k, v) -> {
            YNode value = v.effectiveValue();
            if (value != null) inputs.put(k, value);
            else if (v.definition() != null && v.definition().required()) inputs.remove(k);
        });
        Implementation impl = null;
        if (op.implementation() != null && op.implementation().primary() != null) {
            var def = op.implementation();
            List<String> deps = def.dependencies().stream().map(Name::value).toList();
            String base = def.primary().location().file().startsWith("builtin:") ? "." : baseDirectoryOf(def.location(),
                    baseDirectory);
            impl = new Implementation(def.primary().value(), deps, def.timeoutSeconds(), base);
        }
        return new Operation(interfaceName, op.name().value(), impl, inputs, outputMappings(op), op.location());
    }

    private List<AttributeMapping> outputMappings(OperationDef op) {
        List<AttributeMapping> out = new ArrayList<>();
        op.outputs().forEach((name, ref) -> {
            YNode node = ref.node();
            List<String> parts = node instanceof YSeq seq ? seq.items().stream()
                    .map(item -> item instanceof YScalar sc && sc.value() instanceof String text ? text : null)
                    .toList() : List.of();
            String what = "output \"" + name + "\" of operation \"" + op.name().value() + "\": ";
            if (parts.size() == 3 && !parts.contains(null)) {
                problems.add(node, what + "mapping an output to a capability attribute is not supported; map it to "
                        + "an attribute of the node");
            } else if (parts.size() != 2 || parts.contains(null)
                    || !List.of("SELF", "SOURCE", "TARGET").contains(parts.get(0))) {
                problems.add(node, what + "expected an attribute mapping [ SELF | SOURCE | TARGET, attribute name ], "
                        + "got " + node.describe());
            } else {
                out.add(new AttributeMapping(name, parts.get(0), parts.get(1), node.location()));
            }
        });
        return out;
    }

    /** Implementation files are relative to the file that names them, which may be an imported type file. */
    private String baseDirectoryOf(Location location, String fallback) {
        Path parent = directories.computeIfAbsent(location.file(),
                f -> workingDirectory.resolve(f).toAbsolutePath().getParent());
        return parent == null ? fallback : parent.toString();
    }

    private Map<String, Artifact> artifacts(ResolvedType type, NodeTemplateDef def, Scope scope, String baseDirectory) {
        Map<String, Artifact> out = new LinkedHashMap<>();
        List<ArtifactDef> all = new ArrayList<>();
        for (ResolvedType t = type; t != null; t = t.parent()) all.addAll(0, t.definition().artifacts().values());
        all.addAll(def.artifacts().values());
        for (ArtifactDef a : all) {
            ResolvedType artifactType = a.type() == null ? null
                    : TypeSystem.lookup(scope, TypeKind.ARTIFACT, a.type(), problems);
            if (a.file() == null) continue;
            out.put(a.name().value(), new Artifact(a.name().value(), artifactType, a.file().value(), a.deployPath(),
                    baseDirectoryOf(a.location(), baseDirectory)));
        }
        return out;
    }

    // --- outputs, groups, policies -------------------------------------------------------------------

    private static Output output(OutputDef def) {
        return new Output(def.name().value(), def.description(), def.value(), def.location());
    }

    /** {@code triggers} checks the triggers of policies; null for groups, which have none. */
    private Group group(GroupDef def, Scope scope, TypeKind kind, TopologyTemplate t, PolicyTriggers triggers) {
        ResolvedType type = TypeSystem.lookup(scope, kind, def.type(), problems);
        for (Name member : def.members()) {
            if (!t.nodeTemplates().containsKey(member.value()) && !t.groups().containsKey(member.value())) {
                problems.add(member.location(), kind.label().replace(" type", "") + " \"" + def.name().value()
                        + "\" names \"" + member.value() + "\", which is not a node template"
                        + (kind == TypeKind.POLICY ? " or group" : "")
                        + Suggestions.didYouMean(member.value(), kind == TypeKind.POLICY
                        ? java.util.stream.Stream.concat(t.nodeTemplates().keySet().stream(),
                                t.groups().keySet().stream()).toList()
                        : t.nodeTemplates().keySet()));
            }
        }
        if (type == null) return null;
        String owner = kind.label().replace(" type", "") + " \"" + def.name().value() + "\"";
        Map<String, YNode> props = values(def.properties(), type.properties(), def.location(), owner + " property ",
                owner, true);
        return new Group(def.name().value(), type, props, def.members().stream().map(Name::value).toList(),
                triggers == null ? List.of() : triggers.of(def, type));
    }

    /** "did you mean" when a name is close, else the names there are. */
    private static String hint(String wrong, java.util.Collection<String> names) {
        String dym = Suggestions.didYouMean(wrong, names);
        if (!dym.isEmpty() || names.isEmpty()) return dym;
        return "; expected one of " + String.join(", ", names);
    }

    private static String names(List<ResolvedType> types) {
        return String.join(" or ", types.stream().map(ResolvedType::name).toList());
    }
}
