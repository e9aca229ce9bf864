package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogConfigurationTest {
    @Test
    void logsGoToStandardErrorAtWarnUnlessALevelIsNamed() {
        LoggerContext context = configured(Map.of());
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("dev.parley.app.engine").getEffectiveLevel()).isEqualTo(Level.WARN);
        ConsoleAppender<?> appender = (ConsoleAppender<?>) root.getAppender("STDERR");
        assertThat(appender.getTarget()).isEqualTo("System.err");
        assertThat(appender.isStarted()).isTrue();
        assertThat(((PatternLayoutEncoder) appender.getEncoder()).getPattern()).isEqualTo(LogConfiguration.PATTERN);

        assertThat(configured(Map.of(LogConfiguration.LEVEL, "debug")).getLogger(Logger.ROOT_LOGGER_NAME).getLevel())
                .isEqualTo(Level.DEBUG);
        assertThat(configured(Map.of(LogConfiguration.LEVEL, "loud")).getLogger(Logger.ROOT_LOGGER_NAME).getLevel())
                .as("a level logback does not know").isEqualTo(Level.WARN);
    }

    @Test
    void theEngineAloneCanBeTurnedUp() {
        LoggerContext context = configured(Map.of(LogConfiguration.ENGINE_LEVEL, "DEBUG"));
        assertThat(context.getLogger("dev.parley.app.engine.link").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("dev.parley.transport").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void aConfigurationFileNamedOnTheCommandLineWins() {
        LoggerContext context = new LoggerContext();
        ExecutionStatus status = new LogConfiguration(Map.of(LogConfiguration.CONFIGURATION_FILE, "/tmp/mine.xml")::get)
                .configure(context);
        assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
    }

    /** Logback found this configuration through META-INF/services: its own default would be a "console" appender. */
    @Test
    void thisJvmsLogsAreConfiguredByIt() {
        LoggerContext running = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(running.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNotNull();
    }

    private static LoggerContext configured(Map<String, String> settings) {
        LoggerContext context = new LoggerContext();
        assertThat(new LogConfiguration(settings::get).configure(context))
                .isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        return context;
    }
}
