package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;
import io.imagebuilder.yaml.YMap;

import java.util.List;
import java.util.Map;

/** A group or a policy in the topology: a type, properties, the templates it names, and (policies) triggers. */
public record GroupDef(Name name, Name type, String description, YMap properties, List<Name> members,
                       Map<String, TriggerDef> triggers, Location location) {

    public GroupDef {
        members = List.copyOf(members);
        triggers = Maps.copy(triggers);
    }
}
