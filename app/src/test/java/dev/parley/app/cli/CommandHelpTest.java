package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.Main;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --help} after every command, {@code parley help COMMAND}, and the options each command's help lists. */
class CommandHelpTest {
    private static final Pattern OPTION = Pattern.compile("^\\s+(?:-\\w, )?(--[\\w-]+)", Pattern.MULTILINE);
    private static final List<String> NETWORK = List.of("--listen", "--bootstrap", "--relay", "--no-mdns");

    @TempDir
    Path temp;

    private final CommandRun command = new CommandRun();

    /** The help of {@code parley args…}, which must succeed and print nothing on standard error. */
    private String help(String... args) {
        assertThat(command.run(args)).as("parley %s: %s", String.join(" ", args), command.err).isZero();
        assertThat(command.err.toString()).isEmpty();
        return command.out.toString();
    }

    /** The long options a help text lists, one a line. */
    private static Set<String> options(String help) {
        Set<String> options = new TreeSet<>();
        Matcher matcher = OPTION.matcher(help);
        while (matcher.find()) {
            options.add(matcher.group(1));
        }
        return options;
    }

    @Test
    void everyCommandTakesHelpAfterItsNameAndHelpCommandShowsTheSame() {
        Set<String> commands = Main.commandLine().getSubcommands().keySet();
        assertThat(commands).contains("chat", "backup", "export", "import", "help");

        for (String name : commands) {
            String longHelp = help(name, "--help");
            assertThat(longHelp).as(name).contains("Usage: parley " + name + " ");
            assertThat(help(name, "-h")).as(name).isEqualTo(longHelp);
            assertThat(options(longHelp)).as(name).contains("--help");
            if (!name.equals("help")) {
                assertThat(help("help", name)).as(name).isEqualTo(longHelp);
            }
        }
    }

    @Test
    void helpChatShowsChatsOptionsAndTheCommandsItReads() {
        String chat = help("help", "chat");

        assertThat(chat).startsWith("Usage: parley chat").doesNotContain("relay?");
        assertThat(options(chat)).containsExactlyInAnyOrder("--help", "--json", "--profile", "--name",
                "--passphrase-file", "--listen", "--bootstrap", "--relay", "--no-mdns");
        assertThat(chat).contains("Commands on standard input").contains("/msg PEER TEXT").contains("/room say ROOM TEXT")
                .contains("PEER    a name or PeerId");
    }

    @Test
    void eachCommandsHelpListsOnlyTheCommonOptionsItReads() {
        Map<String, Set<String>> expected = Map.of(
                "backup", Set.of("--profile", "--name", "--passphrase-file", "--backup-passphrase-file", "--force"),
                "restore", Set.of("--profile", "--name", "--backup-passphrase-file", "--force"),
                "export", Set.of("--profile", "--format", "--out", "--conversation", "--since", "--until",
                        "--no-system-lines", "--force"),
                "import", Set.of("--profile"),
                "id", Set.of("--profile", "--name", "--passphrase-file", "--json"),
                "passphrase", Set.of("--profile", "--passphrase-file", "--new-passphrase-file", "--remove"),
                "node", Set.of("--profile", "--name", "--passphrase-file", "--listen", "--bootstrap", "--relay",
                        "--perf", "--relay-service"),
                "mailbox", Set.of("--profile", "--name", "--passphrase-file", "--listen", "--bootstrap", "--relay",
                        "--max-owners", "--owner-max-envelopes", "--owner-max-bytes", "--capability-max-envelopes",
                        "--capability-max-bytes", "--retention-days", "--new-pairing-code"),
                "ping", Set.of("--profile", "--passphrase-file", "--count", "--json"));

        expected.forEach((name, options) -> {
            Set<String> listed = options(help(name, "--help"));
            listed.remove("--help");
            assertThat(listed).as(name).containsExactlyInAnyOrderElementsOf(options);
        });
        for (String offline : List.of("backup", "restore", "export", "import", "id", "passphrase")) {
            assertThat(options(help(offline, "--help"))).as(offline).doesNotContainAnyElementsOf(NETWORK);
        }
        assertThat(options(help("--help"))).as("the window").containsAll(NETWORK).contains("--version");
    }

    @Test
    void anOptionACommandDoesNotReadIsStillAcceptedSoScriptsMayGiveEveryCommandTheSame() {
        Path profile = temp.resolve("profile");

        assertThat(command.run("id", "--json", "--profile", profile.toString(), "--bootstrap", "none", "--no-mdns",
                "--listen", "/ip4/127.0.0.1/tcp/0")).as(command.err.toString()).isZero();
        assertThat(command.out.toString()).contains("\"peerId\":\"12D3KooW");
        assertThat(command.run("--bootstrap", "none", "id", "--profile", profile.toString())).isZero();
    }
}
