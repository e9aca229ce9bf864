package dev.parley.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A store on a real file in a fresh folder for every test, closed after it. */
abstract class StoreOnDisk {
    @TempDir
    Path folder;
    SqliteStore store;

    @BeforeEach
    void openStore() {
        store = SqliteStore.open(file());
    }

    /** The store's database file. */
    Path file() {
        return folder.resolve("profile.db");
    }

    @AfterEach
    void closeStore() {
        store.close();
    }
}
