package dev.parley.app.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where each platform keeps a profile by default, and that XDG_DATA_HOME moves it anywhere. */
class ProfilePlacesTest {
    @Test
    void eachPlatformKeepsTheProfileWhereItKeepsApplicationsData() {
        assertThat(Profile.defaultDirectory("Linux", Map.of(), "/home/ada"))
                .isEqualTo(Path.of("/home/ada/.local/share/parley"));
        assertThat(Profile.defaultDirectory("Windows 11", Map.of("APPDATA", "C:\\Users\\ada\\AppData\\Roaming"),
                "C:\\Users\\ada")).isEqualTo(Path.of("C:\\Users\\ada\\AppData\\Roaming", "Parley"));
        assertThat(Profile.defaultDirectory("Windows 11", Map.of(), "/users/ada"))
                .isEqualTo(Path.of("/users/ada", "AppData", "Roaming", "Parley"));
        assertThat(Profile.defaultDirectory("Mac OS X", Map.of(), "/Users/ada"))
                .isEqualTo(Path.of("/Users/ada/Library/Application Support/Parley"));
        assertThat(Profile.defaultDirectory("Mac OS X", Map.of("XDG_DATA_HOME", "/data"), "/Users/ada"))
                .isEqualTo(Path.of("/data/parley"));
        assertThat(Profile.defaultDirectory("Linux", Map.of("XDG_DATA_HOME", " "), "/home/ada"))
                .isEqualTo(Path.of("/home/ada/.local/share/parley"));
    }
}
