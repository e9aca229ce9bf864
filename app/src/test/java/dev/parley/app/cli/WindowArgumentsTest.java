package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The window's arguments read without picocli: the same options as picocli reads, or left to picocli. */
class WindowArgumentsTest {
    private static final String PEER = "12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq";

    @Test
    void theWindowsArgumentsInEitherFormGiveWhatPicocliGives() {
        List<String[]> windows = List.of(
                new String[] {},
                new String[] {"--profile", "/tmp/a b", "--name", "Ada L.", "--no-mdns"},
                new String[] {"--profile=/tmp/p", "--name=Ada=Lovelace", "--listen", "/ip4/127.0.0.1/tcp/0",
                    "--listen=/ip6/::1/tcp/4001"},
                new String[] {"--bootstrap", "none", "--relay", "/ip4/127.0.0.1/tcp/4001/p2p/" + PEER,
                    "--passphrase-file", "/tmp/secret"},
                new String[] {"--bootstrap=/ip4/127.0.0.1/tcp/4001/p2p/" + PEER, "--bootstrap",
                    "/dnsaddr/boot.test.example/p2p/" + PEER, "--name", ""});
        for (String[] arguments : windows) {
            Optional<CommonOptions> read = WindowArguments.read(arguments);
            assertThat(read).as(Arrays.toString(arguments)).isPresent();
            CommonOptions parsed = new CommonOptions();
            new CommandLine(parsed).parseArgs(arguments);
            assertThat(fieldsOf(read.get())).as(Arrays.toString(arguments)).isEqualTo(fieldsOf(parsed));
        }
    }

    @Test
    void commandsHelpAndAnythingOddAreLeftToPicocli() {
        List<String[]> others = List.of(
                new String[] {"chat"},
                new String[] {"--profile", "/tmp/p", "node"},
                new String[] {"--help"},
                new String[] {"-h"},
                new String[] {"-V"},
                new String[] {"--version"},
                new String[] {"--servePerf"},
                new String[] {"--unknown", "x"},
                new String[] {"--listen", "not a multiaddr"},
                new String[] {"--bootstrap", "nonsense"},
                new String[] {"--name"},
                new String[] {"--name", "help"},
                new String[] {"--name", "--no-mdns"},
                new String[] {"--profile", "nul\0byte"},
                new String[] {"stray"});
        for (String[] arguments : others) {
            assertThat(WindowArguments.read(arguments)).as(Arrays.toString(arguments)).isEmpty();
        }
    }

    /** A common option added later must be read here too, or the window would leave it to picocli forever. */
    @Test
    void everyCommonOptionIsRead() {
        for (Field field : CommonOptions.class.getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            if (option == null) {
                continue;
            }
            for (String name : option.names()) {
                String[] arguments = field.getType() == boolean.class ? new String[] {name}
                        : new String[] {name, sampleValue(name)};
                assertThat(WindowArguments.read(arguments)).as(name).isPresent();
            }
        }
    }

    private static String sampleValue(String option) {
        return switch (option) {
            case "--listen" -> "/ip4/127.0.0.1/tcp/0";
            case "--relay", "--bootstrap" -> "/ip4/127.0.0.1/tcp/4001/p2p/" + PEER;
            default -> "value";
        };
    }

    private static List<Object> fieldsOf(CommonOptions options) {
        return List.of(Optional.ofNullable(options.profile), Optional.ofNullable(options.name), options.listen,
                Optional.ofNullable(options.bootstrap), options.relays, options.noMdns,
                Optional.ofNullable(options.passphraseFile));
    }
}
