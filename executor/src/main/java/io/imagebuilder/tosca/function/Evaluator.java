package io.imagebuilder.tosca.function;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.Suggestions;
import io.imagebuilder.tosca.syntax.FunctionNames;
import io.imagebuilder.tosca.topology.Artifact;
import io.imagebuilder.tosca.topology.Capability;
import io.imagebuilder.tosca.topology.Group;
import io.imagebuilder.tosca.topology.Input;
import io.imagebuilder.tosca.topology.Interface;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Relationship;
import io.imagebuilder.tosca.topology.Secrets;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.tosca.types.ResolvedCapability;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YSeq;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves intrinsic functions. Static ones (get_input, get_property, concat, join, token over static values)
 * become plain values; run-time ones (get_attribute, get_operation_output) are resolved against
 * {@link RuntimeValues} when it has them, and are otherwise kept as calls whose SELF, SOURCE, TARGET and HOST
 * are replaced by node names, so they can be resolved later without knowing where they came from.
 */
public final class Evaluator {

    private final Topology topology;
    private final Problems problems;
    private final Secrets secrets;
    private final RuntimeValues runtime;
    private final CallParser parser;
    private final Map<String, YNode> resolvedProperties = new HashMap<>();
    private final Set<String> resolving = new HashSet<>();

    public Evaluator(Topology topology, Problems problems, RuntimeValues runtime) {
        this.topology = topology;
        this.problems = problems;
        this.secrets = topology.secrets();
        this.runtime = runtime;
        this.parser = new CallParser(problems);
    }

    /** Resolves every call in {@code value}; an unchanged value is returned as the same instance. */
    public YNode resolve(YNode value, Context ctx) {
        if (value == null) return null;
        if (value instanceof YMap map && FunctionNames.isCall(map)) return call(map, ctx);
        if (value instanceof YSeq seq) {
            List<YNode> items = new ArrayList<>(seq.size());
            boolean changed = false;
            for (YNode item : seq.items()) {
                YNode r = resolve(item, ctx);
                changed |= r != item;
                items.add(r);
            }
            return changed ? propagate(value, new YSeq(items, seq.location())) : value;
        }
        if (value instanceof YMap map) {
            Map<String, YNode> entries = new LinkedHashMap<>();
            boolean changed = false;
            for (var e : map.entries().entrySet()) {
                YNode r = resolve(e.getValue(), ctx);
                changed |= r != e.getValue();
                entries.put(e.getKey(), r);
            }
            return changed ? propagate(value, new YMap(entries, map.keyLocations(), map.location())) : value;
        }
        return value;
    }

    /** Whether a resolved value still holds calls that only run time can answer. */
    public static boolean isDeferred(YNode value) {
        if (value instanceof YMap map && FunctionNames.isCall(map)) return true;
        if (value instanceof YSeq seq) return seq.items().stream().anyMatch(Evaluator::isDeferred);
        if (value instanceof YMap map) return map.entries().values().stream().anyMatch(Evaluator::isDeferred);
        return false;
    }

    private YNode propagate(YNode from, YNode to) {
        if (secrets.isSecret(from)) secrets.mark(to);
        return to;
    }

    private YNode call(YMap map, Context ctx) {
        Call call = parser.parse(map);
        if (call == null) return nullAt(map.location());
        if (call instanceof Call.GetInput c) return getInput(c);
        if (call instanceof Call.GetValue c) return c.attribute() ? getAttribute(map, c, ctx) : getProperty(c, ctx);
        if (call instanceof Call.GetOperationOutput c) return getOperationOutput(map, c, ctx);
        if (call instanceof Call.GetArtifact c) return getArtifact(map, c, ctx);
        if (call instanceof Call.Concat c) return concat(map, c, ctx);
        if (call instanceof Call.Join c) return join(map, c, ctx);
        return token(map, (Call.Token) call, ctx);
    }

    private static YNode nullAt(Location at) {
        return YScalar.of(null, at);
    }

    // --- get_input -----------------------------------------------------------------------------------

    private YNode getInput(Call.GetInput c) {
        Input input = topology.inputs().get(c.input());
        if (input == null) {
            problems.add(c.location(), "get_input: no input named \"" + c.input() + "\""
                    + Suggestions.didYouMean(c.input(), topology.inputs().keySet()));
            return nullAt(c.location());
        }
        YNode value = input.value() == null ? nullAt(c.location()) : input.value();
        return navigate(value, c.path(), c.location(), "input \"" + c.input() + "\"");
    }

    /** Follows keys and indexes into a value; secrets stay secret on the way down. */
    private YNode navigate(YNode value, List<Object> path, Location at, String what) {
        YNode current = value;
        StringBuilder where = new StringBuilder(what);
        for (Object step : path) {
            YNode next = null;
            if (step instanceof String key && current instanceof YMap m) next = m.get(key);
            else if (step instanceof Integer i && current instanceof YSeq s && i >= 0 && i < s.size()) next = s.get(i);
            if (next == null) {
                problems.add(at, "cannot find " + (step instanceof Integer ? "index " + step : "\"" + step + "\"")
                        + " in " + where + (current instanceof YMap m && step instanceof String key
                        ? Suggestions.didYouMean(key, m.keys()) : "") + " (it is "
                        + (secrets.isSecret(current) ? "a secret value" : current.describe()) + ")");
                return nullAt(at);
            }
            where.append(step instanceof Integer ? "[" + step + "]" : "." + step);
            if (secrets.isSecret(current)) secrets.mark(next);
            current = next;
        }
        return current;
    }

    // --- get_property --------------------------------------------------------------------------------

    private YNode getProperty(Call.GetValue c, Context ctx) {
        Target target = target(c, ctx);
        if (target == null) return nullAt(c.location());
        if (target.policy != null) return policyProperty(target.policy, c);
        if (target.relationship != null) return relationshipProperty(target.relationship, c);
        Node node = topology.node(target.node);
        List<Object> path = c.path();
        String first = (String) path.get(0);
        if (c.entity().equals("HOST")) {
            node = hostWith(ctx, first, false, c);
            if (node == null) return nullAt(c.location());
        }
        if (!node.properties().containsKey(first) && !node.type().properties().containsKey(first) && path.size() > 1) {
            Capability cap = node.capabilities().get(first);
            if (cap != null && !requirementRather(node, first, path.get(1), false)) {
                return capabilityValue(node, cap, path.subList(1, path.size()), c);
            }
            Node reqTarget = requirementTarget(node, first);
            if (reqTarget != null) return propertyPath(reqTarget, path.subList(1, path.size()), c);
        }
        return propertyPath(node, path, c);
    }

    private YNode propertyPath(Node node, List<Object> path, Call.GetValue c) {
        String name = (String) path.get(0);
        if (!node.type().properties().containsKey(name)) {
            problems.add(c.location(), c.function() + ": node \"" + node.name() + "\" (" + node.type().name()
                    + ") has no property \"" + name + "\"" + Suggestions.didYouMean(name,
                    node.type().properties().keySet()));
            return nullAt(c.location());
        }
        YNode value = nodeProperty(node, name, c.location());
        return navigate(value, path.subList(1, path.size()), c.location(),
                "property \"" + name + "\" of node \"" + node.name() + "\"");
    }

    /** A node's property with its own functions resolved (once; cycles are reported). */
    public YNode nodeProperty(Node node, String name, Location at) {
        String key = node.name() + "\u0000" + name;
        YNode done = resolvedProperties.get(key);
        if (done != null) return done;
        YNode raw = node.properties().get(name);
        if (raw == null) return nullAt(at);
        if (!resolving.add(key)) {
            problems.add(at, "get_property: property \"" + name + "\" of node \"" + node.name()
                    + "\" refers back to itself");
            return nullAt(at);
        }
        YNode resolved = resolve(raw, Context.ofNode(node.name()));
        resolving.remove(key);
        if (secrets.isSecret(raw)) secrets.mark(resolved);
        resolvedProperties.put(key, resolved);
        return resolved;
    }

    private YNode capabilityValue(Node node, Capability cap, List<Object> path, Call.GetValue c) {
        String name = (String) path.get(0);
        ResolvedCapability def = cap.definition();
        boolean known = c.attribute() ? def.attributes().containsKey(name) : def.properties().containsKey(name);
        if (!known) {
            problems.add(c.location(), c.function() + ": capability \"" + cap.name() + "\" of node \"" + node.name()
                    + "\" has no " + (c.attribute() ? "attribute" : "property") + " \"" + name + "\""
                    + Suggestions.didYouMean(name, (c.attribute() ? def.attributes() : def.properties()).keySet()));
            return nullAt(c.location());
        }
        YNode raw = cap.properties().get(name);
        if (raw == null) return nullAt(c.location());
        YNode value = resolve(raw, Context.ofNode(node.name()));
        return navigate(value, path.subList(1, path.size()), c.location(),
                "property \"" + name + "\" of capability \"" + cap.name() + "\"");
    }

    private YNode relationshipProperty(Relationship r, Call.GetValue c) {
        String name = (String) c.path().get(0);
        if (!r.type().properties().containsKey(name)) {
            problems.add(c.location(), c.function() + ": relationship " + r.type().name() + " has no property \""
                    + name + "\"" + Suggestions.didYouMean(name, r.type().properties().keySet()));
            return nullAt(c.location());
        }
        YNode raw = r.properties().get(name);
        if (raw == null) return nullAt(c.location());
        return navigate(resolve(raw, Context.ofRelationship(r)), c.path().subList(1, c.path().size()),
                c.location(), "property \"" + name + "\" of the relationship");
    }

    /**
     * An attribute of a relationship: what its operations set, else the template's value, the default, or a
     * property of that name. Before run time the call is kept as written; it names the relationship the same way
     * wherever it is resolved later (SELF in that relationship's operations, or the template's name).
     */
    private YNode relationshipAttribute(YMap call, Relationship r, Call.GetValue c) {
        String name = (String) c.path().get(0);
        var defs = r.type().attributes();
        if (!defs.containsKey(name) && !r.type().properties().containsKey(name)) {
            problems.add(c.location(), "get_attribute: relationship " + r.type().name() + " has no attribute or "
                    + "property \"" + name + "\"" + Suggestions.didYouMean(name, defs.keySet()));
            return nullAt(c.location());
        }
        if (!r.isDetached() && !runtime.available()) return call;
        YNode value = r.isDetached() ? null : runtime.relationshipAttribute(r.source(), r.key(), name);
        if (value == null) {
            Context rc = Context.ofRelationship(r);
            YNode raw = r.attributes().get(name);
            var def = defs.get(name);
            if (raw == null && def != null && def.hasDefault()) raw = def.defaultValue();
            if (raw == null) raw = r.properties().get(name);
            value = raw == null ? nullAt(c.location()) : resolve(raw, rc);
        }
        return navigate(value, c.path().subList(1, c.path().size()), c.location(),
                "attribute \"" + name + "\" of the relationship");
    }

    /**
     * Whether {@code name}, both a capability and a requirement of {@code node} (as "host" often is), means the
     * requirement: when the capability does not define {@code next} and the requirement has a target.
     */
    private boolean requirementRather(Node node, String name, Object next, boolean attribute) {
        var def = node.capabilities().get(name).definition();
        boolean defined = attribute ? def.attributes().containsKey(next) : def.properties().containsKey(next);
        return !defined && requirementTarget(node, name) != null;
    }

    private Node requirementTarget(Node node, String requirement) {
        for (Relationship r : node.requirements()) {
            if (r.requirement().equals(requirement)) return topology.node(r.target());
        }
        return null;
    }

    /** The first node down the HostedOn chain that defines the property or attribute. */
    private Node hostWith(Context ctx, String name, boolean attribute, Call.GetValue c) {
        Node self = topology.node(ctx.node());
        Node host = self == null || self.host() == null ? null : topology.node(self.host());
        if (host == null) {
            problems.add(c.location(), c.function() + ": HOST is used, but node \"" + ctx.node()
                    + "\" is not hosted on any node (it has no HostedOn requirement)");
            return null;
        }
        for (Node h = host; h != null; h = h.host() == null ? null : topology.node(h.host())) {
            var defs = attribute ? h.type().attributes() : h.type().properties();
            if (defs.containsKey(name)) return h;
        }
        problems.add(c.location(), c.function() + ": no node that hosts \"" + ctx.node() + "\" has "
                + (attribute ? "an attribute" : "a property") + " \"" + name + "\"");
        return null;
    }

    private YNode policyProperty(Group policy, Call.GetValue c) {
        String name = (String) c.path().get(0);
        if (!policy.type().properties().containsKey(name)) {
            problems.add(c.location(), c.function() + ": policy \"" + policy.name() + "\" (" + policy.type().name()
                    + ") has no property \"" + name + "\"" + Suggestions.didYouMean(name,
                    policy.type().properties().keySet()));
            return nullAt(c.location());
        }
        YNode raw = policy.properties().get(name);
        if (raw == null) return nullAt(c.location());
        return navigate(resolve(raw, Context.TOPOLOGY), c.path().subList(1, c.path().size()), c.location(),
                "property \"" + name + "\" of policy \"" + policy.name() + "\"");
    }

    private record Target(String node, Relationship relationship, Group policy) {

        Target(String node, Relationship relationship) {
            this(node, relationship, null);
        }
    }

    /** Works out which node (or relationship) SELF, SOURCE, TARGET or a node name means here. */
    private Target target(Call.GetValue c, Context ctx) {
        return entity(c.entity(), c.function(), c.location(), ctx);
    }

    private Target entity(String entity, String function, Location at, Context ctx) {
        switch (entity) {
            case "SELF" -> {
                if (ctx.policy() != null) return policy(ctx.policy(), function, at);
                if (ctx.relationship() != null) return new Target(null, ctx.relationship());
                if (ctx.node() == null) {
                    problems.add(at, function + ": SELF has no meaning here; name a node template instead");
                    return null;
                }
                return new Target(ctx.node(), null);
            }
            case "SOURCE", "TARGET" -> {
                if (ctx.relationship() == null) {
                    problems.add(at, function + ": " + entity + " can be used only in relationship operations; "
                            + "name a node template instead");
                    return null;
                }
                if (ctx.relationship().isDetached()) {
                    problems.add(at, function + ": relationship template \"" + ctx.relationship().template()
                            + "\" is used by no requirement, so it has no " + entity);
                    return null;
                }
                return new Target(entity.equals("SOURCE") ? ctx.relationship().source()
                        : ctx.relationship().target(), null);
            }
            case "HOST" -> {
                if (ctx.node() == null) {
                    problems.add(at, function + ": HOST has no meaning here; name a node template instead");
                    return null;
                }
                return new Target(ctx.node(), null);
            }
            default -> {
                if (topology.node(entity) != null) return new Target(entity, null);
                List<Relationship> made = topology.relationshipsOf(entity);
                if (made.size() == 1) return new Target(null, made.get(0));
                if (made.size() > 1) {
                    problems.add(at, function + ": relationship template \"" + entity + "\" is used by "
                            + made.size() + " requirements (" + String.join(", ", made.stream()
                            .map(r -> r.source() + "." + r.requirement()).toList())
                            + "), so it is unclear which one is meant");
                    return null;
                }
                problems.add(at, function + ": no node template " + (topology.hasRelationshipTemplates()
                        ? "or relationship template " : "") + "named \"" + entity + "\""
                        + Suggestions.didYouMean(entity, topology.nodes().keySet()));
                return null;
            }
        }
    }

    private Target policy(String name, String function, Location at) {
        if (!function.equals("get_property")) {
            problems.add(at, function + ": SELF in a trigger is its policy \"" + name + "\", which has only "
                    + "properties; name a node template instead");
            return null;
        }
        return topology.policies().stream().filter(p -> p.name().equals(name)).findFirst()
                .map(p -> new Target(null, null, p)).orElse(null);
    }

    // --- run-time functions --------------------------------------------------------------------------

    private YNode getAttribute(YMap call, Call.GetValue c, Context ctx) {
        Target target = target(c, ctx);
        if (target == null) return nullAt(c.location());
        if (target.relationship != null) return relationshipAttribute(call, target.relationship, c);
        Node node = topology.node(target.node);
        List<Object> path = c.path();
        String first = (String) path.get(0);
        if (c.entity().equals("HOST")) {
            node = hostWith(ctx, first, true, c);
            if (node == null) return nullAt(c.location());
        }
        String capability = null;
        if (!node.type().attributes().containsKey(first) && path.size() > 1) {
            if (node.capabilities().containsKey(first) && !requirementRather(node, first, path.get(1), true)) {
                capability = first;
                path = path.subList(1, path.size());
            } else {
                Node reqTarget = requirementTarget(node, first);
                if (reqTarget != null) {
                    node = reqTarget;
                    path = path.subList(1, path.size());
                }
            }
        }
        String name = (String) path.get(0);
        var defs = capability == null ? node.type().attributes()
                : node.capabilities().get(capability).definition().attributes();
        if (!defs.containsKey(name)) {
            problems.add(c.location(), "get_attribute: " + (capability == null ? "" : "capability \"" + capability
                    + "\" of ") + "node \"" + node.name() + "\" has no attribute or property \"" + name + "\""
                    + Suggestions.didYouMean(name, defs.keySet()));
            return nullAt(c.location());
        }
        if (!runtime.available()) return absoluteCall(call, "get_attribute", node.name(), capability, path);
        YNode value = runtime.attribute(node.name(), capability, name);
        if (value == null) value = attributeFallback(node, capability, name, c.location());
        return navigate(value, path.subList(1, path.size()), c.location(),
                "attribute \"" + name + "\" of node \"" + node.name() + "\"");
    }

    /** An attribute never set at run time reads as its template value, its default, or a property of that name. */
    private YNode attributeFallback(Node node, String capability, String name, Location at) {
        if (capability != null) {
            Capability cap = node.capabilities().get(capability);
            YNode v = cap.attributes().get(name);
            var def = cap.definition().attributes().get(name);
            if (v == null && def != null && def.hasDefault()) v = def.defaultValue();
            if (v == null) v = cap.properties().get(name);
            return v == null ? nullAt(at) : resolve(v, Context.ofNode(node.name()));
        }
        YNode v = node.attributes().get(name);
        if (v != null) return resolve(v, Context.ofNode(node.name()));
        var def = node.type().attributes().get(name);
        if (def != null && def.hasDefault()) return resolve(def.defaultValue(), Context.ofNode(node.name()));
        if (node.properties().containsKey(name)) return nodeProperty(node, name, at);
        return nullAt(at);
    }

    private YNode getOperationOutput(YMap call, Call.GetOperationOutput c, Context ctx) {
        Target target = entity(c.entity(), "get_operation_output", c.location(), ctx);
        if (target == null) return nullAt(c.location());
        if (target.node == null && target.relationship.isDetached()) {
            problems.add(c.location(), "get_operation_output: relationship template \""
                    + target.relationship.template() + "\" is used by no requirement, so its operations never run");
            return nullAt(c.location());
        }
        String nodeName = target.node != null ? target.node : target.relationship.source();
        Node node = topology.node(nodeName);
        Interface iface = node.interfaces().get(c.interfaceName());
        if (iface == null && target.relationship == null) {
            problems.add(c.location(), "get_operation_output: node \"" + nodeName + "\" has no interface \""
                    + c.interfaceName() + "\"" + Suggestions.didYouMean(c.interfaceName(), node.interfaces().keySet()));
            return nullAt(c.location());
        }
        if (iface != null && !iface.operations().containsKey(c.operation())) {
            problems.add(c.location(), "get_operation_output: interface \"" + c.interfaceName() + "\" of node \""
                    + nodeName + "\" has no operation \"" + c.operation() + "\""
                    + Suggestions.didYouMean(c.operation(), iface.operations().keySet()));
            return nullAt(c.location());
        }
        if (!runtime.available()) {
            return rebuilt(call, "get_operation_output", seq(c.location(), nodeName, c.interfaceName(),
                    c.operation(), c.output()));
        }
        YNode value = runtime.operationOutput(nodeName, c.interfaceName(), c.operation(), c.output());
        return value == null ? nullAt(c.location()) : value;
    }

    private YNode getArtifact(YMap call, Call.GetArtifact c, Context ctx) {
        Target target = entity(c.entity(), "get_artifact", c.location(), ctx);
        if (target == null) return nullAt(c.location());
        if (target.node == null) {
            problems.add(c.location(), "get_artifact: relationships have no artifacts; name a node");
            return nullAt(c.location());
        }
        Node node = topology.node(target.node);
        if (c.entity().equals("HOST")) {
            node = node.host() == null ? null : topology.node(node.host());
            if (node == null) {
                problems.add(c.location(), "get_artifact: HOST is used, but node \"" + target.node
                        + "\" is not hosted on any node");
                return nullAt(c.location());
            }
        }
        Artifact artifact = node.artifacts().get(c.artifact());
        if (artifact == null) {
            problems.add(c.location(), "get_artifact: node \"" + node.name() + "\" (" + node.type().name()
                    + ") has no artifact \"" + c.artifact() + "\"" + (node.artifacts().isEmpty() ? ""
                    : Suggestions.didYouMean(c.artifact(), node.artifacts().keySet())));
            return nullAt(c.location());
        }
        YNode place = c.place() == null ? null : resolve(c.place(), ctx);
        if (place != null && !isDeferred(place) && !isLocation(place)) {
            // a relative path would depend on the directory the operation happens to run in, here or on a host
            problems.add(c.place(), "get_artifact: location must be an absolute path or "
                    + Call.GetArtifact.LOCAL_FILE + ", got " + place.describe());
            return nullAt(c.location());
        }
        if (!runtime.available() || isDeferred(place)) {
            List<YNode> args = new ArrayList<>(seq(c.location(), node.name(), c.artifact()).items());
            if (place != null || c.remove()) args.add(place == null ? YScalar.of(Call.GetArtifact.LOCAL_FILE,
                    c.location()) : place);
            if (c.remove()) args.add(YScalar.of(true, c.location()));
            return rebuilt(call, "get_artifact", new YSeq(args, c.location()));
        }
        String location = place == null ? null : ((YScalar) place).text();
        if (Call.GetArtifact.LOCAL_FILE.equals(location)) location = null;
        try {
            return YScalar.of(runtime.artifactPath(node.name(), artifact, location, c.remove()), c.location());
        } catch (IllegalArgumentException e) {
            problems.add(c.location(), "get_artifact: artifact \"" + c.artifact() + "\" of node \"" + node.name()
                    + "\": " + e.getMessage());
            return nullAt(c.location());
        }
    }

    private static boolean isLocation(YNode place) {
        return place instanceof YScalar s && s.value() instanceof String text
                && (text.equals(Call.GetArtifact.LOCAL_FILE) || text.startsWith("/"));
    }

    private YNode absoluteCall(YMap call, String function, String node, String capability, List<Object> path) {
        List<Object> args = new ArrayList<>();
        args.add(node);
        if (capability != null) args.add(capability);
        args.addAll(path);
        return rebuilt(call, function, seq(call.location(), args.toArray()));
    }

    private static YSeq seq(Location at, Object... items) {
        List<YNode> out = new ArrayList<>();
        for (Object item : items) out.add(YScalar.of(item instanceof Integer i ? (Object) i.longValue() : item, at));
        return new YSeq(out, at);
    }

    private YNode rebuilt(YMap call, String function, YNode args) {
        YMap out = new YMap(Map.of(function, args), Map.of(function, call.keyLocation(function)), call.location());
        return propagate(call, out);
    }

    // --- string functions ----------------------------------------------------------------------------

    private YNode concat(YMap call, Call.Concat c, Context ctx) {
        List<YNode> parts = new ArrayList<>();
        boolean deferred = false;
        boolean secret = false;
        for (YNode part : c.parts()) {
            YNode r = resolve(part, ctx);
            deferred |= isDeferred(r);
            secret |= secrets.isSecret(r);
            parts.add(r);
        }
        YNode out;
        if (deferred) {
            out = rebuilt(call, "concat", new YSeq(parts, c.location()));
        } else {
            StringBuilder sb = new StringBuilder();
            for (YNode p : parts) {
                String text = text(p, "concat");
                if (text == null) return nullAt(c.location());
                sb.append(text);
            }
            out = YScalar.of(sb.toString(), c.location());
        }
        if (secret) secrets.mark(out);
        return out;
    }

    private YNode join(YMap call, Call.Join c, Context ctx) {
        YNode list = resolve(c.list(), ctx);
        YNode delimiter = c.delimiter() == null ? YScalar.of("", c.location()) : resolve(c.delimiter(), ctx);
        if (isDeferred(list) || isDeferred(delimiter)) {
            List<YNode> args = new ArrayList<>(List.of(list));
            if (c.delimiter() != null) args.add(delimiter);
            return rebuilt(call, "join", new YSeq(args, c.location()));
        }
        if (!(list instanceof YSeq seq)) {
            problems.add(c.list(), "join: the first argument must be a list of strings, got "
                    + (secrets.isSecret(list) ? "a secret value" : list.describe()));
            return nullAt(c.location());
        }
        String sep = text(delimiter, "join");
        List<String> texts = new ArrayList<>();
        for (YNode item : seq.items()) {
            String t = text(item, "join");
            if (t == null || sep == null) return nullAt(c.location());
            texts.add(t);
        }
        YNode out = YScalar.of(String.join(sep, texts), c.location());
        if (secrets.isSecret(list) || seq.items().stream().anyMatch(secrets::isSecret)) secrets.mark(out);
        return out;
    }

    private YNode token(YMap call, Call.Token c, Context ctx) {
        YNode text = resolve(c.text(), ctx);
        YNode separators = resolve(c.separators(), ctx);
        YNode index = resolve(c.index(), ctx);
        if (isDeferred(text) || isDeferred(separators) || isDeferred(index)) {
            return rebuilt(call, "token", new YSeq(List.of(text, separators, index), c.location()));
        }
        String s = text(text, "token");
        String seps = text(separators, "token");
        if (s == null || seps == null) return nullAt(c.location());
        if (!(index instanceof YScalar is && is.value() instanceof Long i) || i < 0) {
            problems.add(c.index(), "token: the index must be a non-negative integer, got " + index.describe());
            return nullAt(c.location());
        }
        List<String> tokens = split(s, seps);
        if (i >= tokens.size()) {
            String shown = secrets.isSecret(text) ? Secrets.MASK : s;
            problems.add(c.index(), "token: index " + i + " is out of range; \"" + shown + "\" has " + tokens.size()
                    + " token" + (tokens.size() == 1 ? "" : "s"));
            return nullAt(c.location());
        }
        YNode out = YScalar.of(tokens.get(i.intValue()), c.location());
        if (secrets.isSecret(text)) secrets.mark(out);
        return out;
    }

    /** A run of separator characters is one delimiter, so "t-*-o" with separators "-*" has the tokens t and o. */
    private static List<String> split(String s, String separators) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (separators.indexOf(ch) >= 0) {
                if (i > 0 && separators.indexOf(s.charAt(i - 1)) >= 0) continue;
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** The text of a scalar for string functions; lists and maps cannot be joined into a string. */
    private String text(YNode value, String function) {
        if (value instanceof YScalar s) return s.value() == null ? "" : s.text();
        problems.add(value, function + ": expected a string, number or boolean, got " + value.describe());
        return null;
    }
}
