package io.imagebuilder.deploy;

import io.imagebuilder.deploy.operation.OperationRunner;
import io.imagebuilder.deploy.ansible.AnsibleRunner;
import io.imagebuilder.deploy.script.ScriptRunner;

import java.util.List;

/** The operation runners a deployment uses. */
public final class Runners {

    private Runners() {
    }

    public static List<OperationRunner> standard() {
        return List.of(new AnsibleRunner(), new ScriptRunner(), builtins());
    }

    /** Built-in operations, named builtin:NAME in operation implementations. */
    public static BuiltinOperations builtins() {
        return ImageOperations.register(new BuiltinOperations());
    }
}
