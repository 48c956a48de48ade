package io.imagebuilder.cli;

import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.problem.Problem;
import picocli.CommandLine;

import java.io.PrintWriter;

/** Turns failures into messages for people and the documented exit codes; stack traces only on request. */
final class Errors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean trace = stacktraceRequested(parsed);
        if (e instanceof InvalidInputException invalid) {
            for (Problem p : invalid.problems()) err.println(p);
            int n = invalid.problems().size();
            err.println(n + " problem" + (n == 1 ? "" : "s") + " found while " + invalid.phase()
                    + "; nothing was run.");
            if (trace) e.printStackTrace(err);
            err.flush();
            return ExitCodes.INVALID_INPUT;
        }
        err.println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        if (trace) e.printStackTrace(err);
        else err.println("(run with --stacktrace for details)");
        err.flush();
        return ExitCodes.FAILED;
    }

    static int usage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("error: " + e.getMessage());
        err.println("usage: " + cl.getHelp().synopsis(0).trim());
        err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for more.");
        err.flush();
        return ExitCodes.INVALID_INPUT;
    }

    private static boolean stacktraceRequested(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--stacktrace")) return true;
        }
        return false;
    }
}
