package dev.parley.app.history;

import dev.parley.app.engine.EngineConfig;
import dev.parley.app.engine.ParleyIdSpelling;
import dev.parley.app.engine.RoomCardNames;
import dev.parley.app.engine.files.FileLibrary;
import dev.parley.app.engine.files.LibraryExportFiles;
import dev.parley.app.profile.Profile;
import dev.parley.app.profile.ProfileFiles;
import dev.parley.store.SqliteStore;
import dev.parley.store.export.ExportFiles;
import dev.parley.store.export.HistoryExporter;
import dev.parley.store.export.HistoryImporter;
import dev.parley.store.export.Person;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A profile's history for export and import without a node of their own: its store, and who its user is (PeerId
 * and display name need no passphrase). An export reads alongside a running Parley (SQLite's WAL lets a reader in
 * while another process writes); an import writes, so its command takes the profile's lock first.
 */
public final class HistoryFiles {
    private HistoryFiles() {
    }

    /** The profile's store. @throws IllegalArgumentException when the profile has no history */
    public static SqliteStore openStore(Profile profile) {
        Path file = profile.directory().resolve(EngineConfig.STORE_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("there is no history in " + profile.directory()
                    + " (no " + EngineConfig.STORE_FILE + "); is --profile right?");
        }
        return SqliteStore.open(file);
    }

    /**
     * The profile's store, created if the profile has none yet (a new machine's profile, before an import), private
     * to its owner like the rest of the profile.
     */
    public static SqliteStore openOrCreateStore(Profile profile) throws IOException {
        return ProfileFiles.openStore(profile.directory().resolve(EngineConfig.STORE_FILE));
    }

    /**
     * An exporter naming the profile's user as its identity and settings do, which copies the files messages offer
     * from the profile's files folder.
     */
    public static HistoryExporter exporter(Profile profile, SqliteStore store) throws IOException {
        PeerId me = profile.storedPeerId().orElseThrow(() -> new IllegalArgumentException(
                "the profile in " + profile.directory() + " has no identity; restore it from a backup first"));
        return new HistoryExporter(store, new Person(me.toBase58(), profile.displayName()), new RoomCardNames(store),
                files(profile));
    }

    /** An importer that brings the files of an export into the profile's files folder. */
    public static HistoryImporter importer(Profile profile, SqliteStore store) {
        return new HistoryImporter(store, ParleyIdSpelling.INSTANCE, files(profile));
    }

    private static ExportFiles files(Profile profile) {
        return new LibraryExportFiles(new FileLibrary(profile.directory()));
    }
}
