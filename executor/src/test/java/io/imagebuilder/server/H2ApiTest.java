package io.imagebuilder.server;

import java.nio.file.Path;

/** The API contract on the embedded H2 database. */
class H2ApiTest extends ApiContract {
    @Override
    TestDatabase database(Path dir) {
        return TestDatabase.h2(dir);
    }
}
