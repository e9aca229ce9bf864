package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.Main;
import dev.parley.transport.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley} without a display says what to do instead of failing with a stack trace. */
class HeadlessLaunchTest {
    @TempDir
    Path temp;

    @Test
    void withoutADisplayParleySaysToUseChatOrSetDisplayAndExitsWithOne() throws Exception {
        ProcessBuilder command = new ProcessBuilder(ChildJvm.command(Main.class,
                List.of("--profile", temp.resolve("profile").toString(), "--no-mdns", "--bootstrap", "none")));
        command.environment().remove("DISPLAY");
        command.environment().remove("WAYLAND_DISPLAY");
        Process parley = command.start();
        parley.getOutputStream().close();
        String errors = new String(parley.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(parley.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(parley.exitValue()).isEqualTo(1);
        assertThat(errors).contains("there is no display to open the window on; use `parley chat`")
                .contains("set DISPLAY").doesNotContain("Exception");
    }
}
