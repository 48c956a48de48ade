package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.yaml.YMap;

import java.util.List;

/** A group or a policy in the topology: a type, properties, and the node templates it names. */
public record GroupDef(Name name, Name type, String description, YMap properties, List<Name> members,
                       Location location) {

    public GroupDef {
        members = List.copyOf(members);
    }
}
