package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;
import io.imagebuilder.util.Maps;

import java.util.List;
import java.util.Map;

/**
 * A type definition of any kind as written. Kinds share most of their grammar, so one record carries
 * the union of their keys; the keys a kind does not allow are rejected by the reader and stay empty here.
 */
public record TypeDef(TypeKind kind, Name name, Name derivedFrom, String description, String version,
                      Map<String, String> metadata,
                      Map<String, PropertyDef> properties, Map<String, PropertyDef> attributes,
                      Map<String, CapabilityDef> capabilities, List<RequirementDef> requirements,
                      Map<String, InterfaceDef> interfaces, Map<String, ArtifactDef> artifacts,
                      Map<String, InputDef> inputs, Map<String, OperationDef> operations,
                      List<ConstraintDef> constraints, SchemaDef keySchema, SchemaDef entrySchema,
                      List<Name> validSourceTypes, List<Name> validTargetTypes,
                      List<Name> members, List<Name> targets, Map<String, TriggerDef> triggers, String mimeType, List<String> fileExt,
                      Location location) {

    public TypeDef {
        metadata = Maps.copy(metadata);
        properties = Maps.copy(properties);
        attributes = Maps.copy(attributes);
        capabilities = Maps.copy(capabilities);
        requirements = List.copyOf(requirements);
        interfaces = Maps.copy(interfaces);
        artifacts = Maps.copy(artifacts);
        inputs = Maps.copy(inputs);
        operations = Maps.copy(operations);
        constraints = List.copyOf(constraints);
        validSourceTypes = List.copyOf(validSourceTypes);
        validTargetTypes = List.copyOf(validTargetTypes);
        members = List.copyOf(members);
        targets = List.copyOf(targets);
        triggers = Maps.copy(triggers);
        fileExt = List.copyOf(fileExt);
    }
}
