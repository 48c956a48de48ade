package io.imagebuilder.deploy;

import io.imagebuilder.deploy.ansible.AnsibleRunner;
import io.imagebuilder.deploy.operation.OperationRunner;
import io.imagebuilder.deploy.script.ScriptRunner;

import java.util.List;

/** The operation runners a deployment uses. */
public final class Runners {

    private Runners() {
    }

    /** @param builtins the operations named builtin:NAME in operation implementations */
    public static List<OperationRunner> standard(BuiltinOperations builtins) {
        return List.of(new AnsibleRunner(), new ScriptRunner(), builtins);
    }
}
