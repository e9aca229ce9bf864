package dev.parley.transport.perf;

import java.time.Duration;

/**
 * What one perf run measured on the client: bytes each way and the time from stream open to the end of
 * the upload, and from there to the end of the download.
 */
public record PerfResult(long uploadBytes, Duration uploadTime, long downloadBytes, Duration downloadTime) {
    public double uploadMibPerSecond() {
        return mibPerSecond(uploadBytes, uploadTime);
    }

    public double downloadMibPerSecond() {
        return mibPerSecond(downloadBytes, downloadTime);
    }

    private static double mibPerSecond(long bytes, Duration time) {
        double seconds = time.toNanos() / 1e9;
        return seconds == 0 ? 0 : bytes / (1024.0 * 1024.0) / seconds;
    }
}
