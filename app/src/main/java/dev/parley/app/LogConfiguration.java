package dev.parley.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.function.UnaryOperator;

/**
 * Where Parley's logs go (app/README.md): standard error, at {@code WARN} or the level {@value #LEVEL} names, the
 * engine's own at {@value #ENGINE_LEVEL}'s level when that is set; standard output belongs to the commands. Set up in
 * code, found by logback through {@code META-INF/services}, rather than from a {@code logback.xml}: reading the XML
 * took a quarter of a second of every start, the window's included. A {@code -Dlogback.configurationFile} still wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfiguration extends ContextAwareBase implements Configurator {
    static final String LEVEL = "PARLEY_LOG_LEVEL";
    static final String ENGINE_LEVEL = "PARLEY_ENGINE_LOG_LEVEL";
    /** The system property that names a logback configuration file (logback's own name for it). */
    static final String CONFIGURATION_FILE = "logback.configurationFile";
    /** Names the node a line comes from when an engine's thread logs it (many engines share a test's process). */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %X{node} %logger{20} - %msg%n";

    private final UnaryOperator<String> settings;

    /** Reads the levels from system properties, then the environment, as logback's own configuration files do. */
    public LogConfiguration() {
        this(name -> System.getProperty(name, System.getenv(name)));
    }

    LogConfiguration(UnaryOperator<String> settings) {
        this.settings = settings;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (settings.apply(CONFIGURATION_FILE) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> standardError = new ConsoleAppender<>();
        standardError.setContext(context);
        standardError.setName("STDERR");
        standardError.setTarget("System.err");
        standardError.setEncoder(encoder);
        standardError.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(settings.apply(LEVEL), Level.WARN));
        root.addAppender(standardError);
        String engineLevel = settings.apply(ENGINE_LEVEL);
        if (engineLevel != null) {
            context.getLogger("dev.parley.app.engine").setLevel(Level.toLevel(engineLevel, null));
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
