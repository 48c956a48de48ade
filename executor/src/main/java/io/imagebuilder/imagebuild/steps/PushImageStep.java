package io.imagebuilder.imagebuild.steps;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.outcome.BuildException;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pushes a unit under its final reference and returns the digest the registry stored it under. */
public final class PushImageStep {

    private static final Pattern DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");

    private PushImageStep() {
    }

    public static String run(DockerClient docker, BuildUnit unit, LineSink log) throws BuildException {
        String prefix = "[" + unit.label() + "] ";
        if (!unit.localTag().equals(unit.reference())) {
            docker.require("tagging " + unit.label(), List.of("tag", unit.localTag(), unit.reference()), null,
                    line -> log.line(prefix + line));
        }
        String[] digest = new String[1];
        docker.require("pushing " + unit.reference(), List.of("push", unit.reference()), null, line -> {
            log.line(prefix + line);
            Matcher m = DIGEST.matcher(line);
            if (m.find()) digest[0] = m.group(1);
        });
        if (digest[0] == null) throw new BuildException("pushing " + unit.reference() + ": the registry sent no digest");
        return digest[0];
    }
}
