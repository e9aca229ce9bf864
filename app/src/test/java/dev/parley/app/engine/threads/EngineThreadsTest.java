package dev.parley.app.engine.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Every kind of engine thread names its node in the log, so that many engines in one process can be told apart. */
class EngineThreadsTest {
    @Test
    void tasksCryptoAndSchedulerThreadsNameTheirNode() throws Exception {
        try (EngineThreads threads = new EngineThreads("node-A")) {
            CompletableFuture<String> task = new CompletableFuture<>();
            threads.start("a task", () -> task.complete(MDC.get(EngineThreads.NODE_LOG_KEY)));
            String crypto = CompletableFuture.supplyAsync(() -> MDC.get(EngineThreads.NODE_LOG_KEY), threads.crypto())
                    .get(10, TimeUnit.SECONDS);
            String step = CompletableFuture.supplyAsync(() -> MDC.get(EngineThreads.NODE_LOG_KEY), threads.tasks())
                    .get(10, TimeUnit.SECONDS);
            String scheduled = threads.scheduler().schedule(() -> MDC.get(EngineThreads.NODE_LOG_KEY), 0,
                    TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);

            assertThat(task.get(10, TimeUnit.SECONDS)).isEqualTo("node-A");
            assertThat(crypto).isEqualTo("node-A");
            assertThat(step).isEqualTo("node-A");
            assertThat(scheduled).isEqualTo("node-A");
        }
    }
}
