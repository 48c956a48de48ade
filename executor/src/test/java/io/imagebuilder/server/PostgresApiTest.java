package io.imagebuilder.server;

import java.nio.file.Path;

/** The API contract on the loopback PostgreSQL of scripts/testenv.sh. */
class PostgresApiTest extends ApiContract {
    @Override
    TestDatabase database(Path dir) throws Exception {
        return TestDatabase.postgres();
    }
}
