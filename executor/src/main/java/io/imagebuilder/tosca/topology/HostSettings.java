package io.imagebuilder.tosca.topology;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The settings of a tosca.nodes.Compute node that say how operations reach it over SSH, and what their values
 * must look like. Addresses and users end up in Ansible's inventory and on ssh's command line, so they are held
 * to plain host names, IP addresses and user names; paths may hold anything.
 */
public final class HostSettings {

    public static final String COMPUTE = "tosca.nodes.Compute";
    /** Where a Compute node's address is looked for, in this order. */
    public static final List<String> ADDRESSES = List.of("public_address", "private_address", "address");
    public static final String USER = "ssh_user";
    public static final String PORT = "ssh_port";
    public static final String PRIVATE_KEY = "ssh_private_key";
    public static final String KNOWN_HOSTS = "ssh_known_hosts";

    private static final int MAX_HOST_NAME = 253;
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");
    private static final Pattern PORT_NUMBER = Pattern.compile("[1-9][0-9]{0,4}");

    private HostSettings() {
    }

    /**
     * What is wrong with {@code value} as the setting {@code name}, for a message ("expected …"), or null when it
     * is fine. Empty values are fine: they mean the default (the local machine, the SSH client's user).
     */
    public static String problem(String name, Object value) {
        String text = value == null ? "" : String.valueOf(value);
        if (name.equals(PORT)) {
            return isPort(text) ? null : "expected an integer from 1 to 65535";
        }
        if (text.isEmpty()) return null;
        if (ADDRESSES.contains(name)) {
            return isAddress(text) ? null : "expected a host name or an IPv4 or IPv6 address";
        }
        if (name.equals(USER)) {
            return USER_NAME.matcher(text).matches() ? null : "expected a user name (up to 32 letters, digits, "
                    + "'_', '.' and '-', not starting with '-')";
        }
        return null;
    }

    /** Checks the settings a template or its inputs give to Compute nodes; run-time values are checked when used. */
    static void check(Topology topology, Problems problems) {
        List<String> names = new ArrayList<>(ADDRESSES);
        names.add(USER);
        names.add(PORT);
        for (Node node : topology.nodes().values()) {
            if (!node.type().derivesFrom(COMPUTE)) continue;
            for (String name : names) {
                check(topology, node, "attribute", name, node.attributes(), problems);
                check(topology, node, "property", name, node.properties(), problems);
            }
        }
    }

    private static void check(Topology topology, Node node, String kind, String name, Map<String, YNode> values,
                              Problems problems) {
        // function calls left for run time are not scalars
        if (!(values.get(name) instanceof YScalar s) || s.value() == null) return;
        String problem = problem(name, s.value());
        if (problem == null) return;
        String got = topology.secrets().isSecret(s) ? "a secret value" : s.describe();
        problems.add(s, "node \"" + node.name() + "\" " + kind + " " + name + ": " + problem + ", got " + got);
    }

    static boolean isAddress(String s) {
        return isIPv4(s) || isIPv6(s) || isHostName(s);
    }

    /** RFC 1123 labels (underscores tolerated); a last label of digits only would be read as a number. */
    static boolean isHostName(String s) {
        if (s.length() > MAX_HOST_NAME) return false;
        String[] labels = s.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) return false;
        }
        return !DIGITS.matcher(labels[labels.length - 1]).matches();
    }

    /** Dotted decimal only: ssh would read a leading zero as octal. */
    static boolean isIPv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (!OCTET.matcher(p).matches() || Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    /** RFC 4291 text forms, without brackets or a zone. */
    static boolean isIPv6(String s) {
        if (!s.contains(":")) return false;
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) return false;
        String head = gap < 0 ? s : s.substring(0, gap);
        String tail = gap < 0 ? "" : s.substring(gap + 2);
        List<String> groups = new ArrayList<>();
        if (!head.isEmpty()) groups.addAll(List.of(head.split(":", -1)));
        if (!tail.isEmpty()) groups.addAll(List.of(tail.split(":", -1)));
        int words = 0;
        for (int i = 0; i < groups.size(); i++) {
            String g = groups.get(i);
            boolean last = i == groups.size() - 1 && (gap < 0 || !tail.isEmpty());
            if (last && g.contains(".")) {
                if (!isIPv4(g)) return false;
                words += 2;
            } else if (HEX_GROUP.matcher(g).matches()) {
                words++;
            } else {
                return false;
            }
        }
        return gap < 0 ? words == 8 : words < 8;
    }

    private static boolean isPort(String s) {
        return PORT_NUMBER.matcher(s).matches() && Integer.parseInt(s) <= 65535;
    }
}
