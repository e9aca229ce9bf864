package dev.parley.app.ui.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.EngineException.Problem;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mailbox's refusals reach the window in its language, not in the engine's English. */
class MailboxErrorsTest {
    private final Locale before = Locale.getDefault();

    @AfterEach
    void restoreTheLanguage() {
        Locale.setDefault(before);
    }

    @Test
    void eachMailboxProblemIsWordedInTheWindowsLanguage() {
        Locale.setDefault(Locale.GERMAN);
        assertThat(EngineErrors.message(new EngineException(Problem.MAILBOX_CODE_REFUSED, "the mailbox refused")))
                .startsWith("das Postfach hat den Kopplungscode abgelehnt");
        assertThat(EngineErrors.message(new EngineException(Problem.MAILBOX_UNREACHABLE, "unreachable", "12D3KooWMb")))
                .isEqualTo("das Postfach 12D3KooWMb war nicht erreichbar; läuft es, und kann dieser Rechner es erreichen?");
        assertThat(EngineErrors.message(new EngineException(Problem.MAILBOX_ALREADY_PAIRED, "paired", "12D3KooWMb")))
                .contains("12D3KooWMb").startsWith("du hast schon ein Postfach");
        for (Problem problem : new Problem[] {Problem.MAILBOX_CODE_INVALID, Problem.MAILBOX_FULL, Problem.NO_MAILBOX}) {
            assertThat(EngineErrors.message(new EngineException(problem, "in English"))).as(problem.name())
                    .doesNotContain("in English").contains("Postfach");
        }
        Locale.setDefault(Locale.ENGLISH);
        assertThat(EngineErrors.message(new EngineException(Problem.MAILBOX_CODE_REFUSED, "x")))
                .startsWith("the mailbox refused the pairing code");
    }
}
