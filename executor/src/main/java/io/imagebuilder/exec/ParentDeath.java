package io.imagebuilder.exec;

import org.apache.commons.exec.CommandLine;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Makes a command die with the process that started it. A killed executor (kill -9, the OOM killer) runs no
 * shutdown hook, and its ssh master connections and docker clients would otherwise run on, still building and
 * pushing. util-linux's setpriv sets the kernel's parent-death signal and then executes the command in its place,
 * so the command keeps its process id, exit status and output.
 * <p>
 * The signal fires when the thread that started the command ends; every command here is started by a thread that
 * waits for it (a synchronous run, or the background executor's own thread), so that is when the command ends or
 * when the executor dies.
 */
final class ParentDeath {

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final boolean AVAILABLE = Files.isExecutable(SETPRIV);

    private ParentDeath() {
    }

    /**
     * The command run under setpriv, when setpriv is there and the executable can be found; otherwise the command
     * as it is, so that a missing executable fails as it would without the wrapper.
     */
    static CommandLine bound(CommandLine command, Map<String, String> environment) {
        if (!AVAILABLE || !findable(command.getExecutable(), environment)) return command;
        CommandLine wrapped = new CommandLine(SETPRIV.toString());
        wrapped.addArgument("--pdeathsig", false);
        wrapped.addArgument("KILL", false);
        wrapped.addArgument("--", false);
        wrapped.addArgument(command.getExecutable(), false);
        for (String a : command.getArguments()) wrapped.addArgument(a, false);
        return wrapped;
    }

    private static boolean findable(String executable, Map<String, String> environment) {
        if (executable.indexOf('/') >= 0) return Files.isExecutable(Path.of(executable));
        String path = environment == null ? System.getenv("PATH") : environment.get("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, executable))) return true;
        }
        return false;
    }
}
