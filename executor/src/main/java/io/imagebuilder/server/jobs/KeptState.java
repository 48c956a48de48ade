package io.imagebuilder.server.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagebuilder.deploy.state.StateStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A deployment's state.json, kept in the database once it succeeded and put back into a state directory to
 * undeploy it. The file names the template and the inputs file by path; those of the server that deployed it may
 * not exist where the undeployment runs, so they are replaced by this server's.
 */
final class KeptState {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "state.json";

    private KeptState() {
    }

    static String read(Path stateDirectory) throws IOException {
        return Files.readString(stateDirectory.resolve(FILE));
    }

    static void restore(String kept, Path stateDirectory, Path template, Path inputs) throws IOException {
        ObjectNode state = (ObjectNode) JSON.readTree(kept);
        state.put("template", template.toAbsolutePath().normalize().toString());
        state.putArray("inputs").add(inputs.toAbsolutePath().normalize().toString());
        Path dir = new StateStore(stateDirectory).createDirectory();
        Path file = dir.resolve(FILE);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
    }
}
