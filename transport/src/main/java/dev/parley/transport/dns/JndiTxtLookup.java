package dev.parley.transport.dns;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.naming.CommunicationException;
import javax.naming.CompositeName;
import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.OperationNotSupportedException;
import javax.naming.ServiceUnavailableException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * Looks up TXT records with the JDK's DNS client, its JNDI provider (module {@code jdk.naming.dns}): it sends each
 * query from a random port with a random id, takes only an answer whose id and question match, retries with
 * doubling waits, goes over to TCP when an answer is truncated, and finds the system's resolvers by itself. What
 * it does not bound, the whole wait, is bounded here: each lookup runs on a virtual thread of its own and is
 * abandoned when its time is up.
 */
final class JndiTxtLookup {
    private static final String CONTEXT_FACTORY = "com.sun.jndi.dns.DnsContextFactory";
    private static final String INITIAL_TIMEOUT = "com.sun.jndi.dns.timeout.initial";
    private static final String RETRIES = "com.sun.jndi.dns.timeout.retries";
    /** Tries per server after the first: with the doubling, a silent server costs 1 + 2 + 4 query timeouts. */
    private static final int RETRY_COUNT = 2;
    private static final String TXT = "TXT";

    private final String providerUrl;
    private final String serversText;
    private final Duration queryTimeout;

    JndiTxtLookup(List<InetSocketAddress> servers, Duration queryTimeout) {
        this.providerUrl = servers.isEmpty()
                ? "dns:"
                : servers.stream().map(JndiTxtLookup::url).collect(Collectors.joining(" "));
        this.serversText = servers.isEmpty()
                ? "the system's DNS servers"
                : servers.stream().map(server -> server.getAddress().getHostAddress() + ":" + server.getPort())
                        .collect(Collectors.joining(", "));
        this.queryTimeout = queryTimeout;
    }

    /**
     * The TXT records of {@code name}, each as the text of its character-strings joined (a record longer than one
     * 255-byte string is split into several; RFC 7208 §3.3 reads them back so); empty if the name has none.
     *
     * @throws IOException naming {@code name}: it does not exist, the server failed or refused, or no answer came
     *     within {@code timeLeft}
     */
    List<String> lookUp(String name, Duration timeLeft) throws IOException {
        Hashtable<String, Object> environment = new Hashtable<>();
        environment.put(Context.INITIAL_CONTEXT_FACTORY, CONTEXT_FACTORY);
        environment.put(Context.PROVIDER_URL, providerUrl);
        environment.put(INITIAL_TIMEOUT, Long.toString(Math.max(1, Math.min(queryTimeout.toMillis(),
                timeLeft.toMillis()))));
        environment.put(RETRIES, Integer.toString(RETRY_COUNT));
        FutureTask<Attributes> query = new FutureTask<>(() -> query(environment, name));
        Thread.ofVirtual().name("dns TXT " + name).start(query);
        Attributes attributes;
        try {
            attributes = query.get(timeLeft.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            query.cancel(true);
            throw new IOException("no answer for TXT " + name + " from " + serversText + " within "
                    + timeLeft.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw failure(name, e.getCause());
        } catch (InterruptedException e) {
            query.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted looking up TXT " + name);
        }
        Attribute txt = attributes.get(TXT);
        List<String> records = new ArrayList<>();
        for (int i = 0; txt != null && i < txt.size(); i++) {
            try {
                records.add(joinCharacterStrings((String) txt.get(i)));
            } catch (NamingException e) {
                throw failure(name, e);
            }
        }
        return records;
    }

    private static Attributes query(Hashtable<String, Object> environment, String name) throws NamingException {
        DirContext context = new InitialDirContext(environment);
        try {
            // One component, so that the name is read as a DNS name and not as JNDI's slash-separated composite.
            return context.getAttributes(new CompositeName().add(name), new String[] {TXT});
        } finally {
            context.close();
        }
    }

    private IOException failure(String name, Throwable cause) {
        String reason = switch (cause) {
            case NameNotFoundException e -> "the name does not exist (NXDOMAIN)";
            case ServiceUnavailableException e -> "the server failed (SERVFAIL)";
            case OperationNotSupportedException e -> "the server refused the query (" + e.getExplanation() + ")";
            case ConfigurationException e -> "the DNS servers are misconfigured (" + e.getExplanation() + ")";
            case CommunicationException e -> e.getRootCause() == null || e.getRootCause() instanceof SocketTimeoutException
                    ? "no answer" : "no usable answer: " + e.getRootCause();
            case NamingException e -> e.getExplanation();
            default -> cause.toString();
        };
        return new IOException("DNS lookup of TXT " + name + " at " + serversText + " failed: " + reason, cause);
    }

    /**
     * The bytes of a TXT record as text again. JNDI shows a record's character-strings as Latin-1 characters joined
     * by spaces, a string in double quotes when it is empty or holds a space, quote or backslash, the last two then
     * escaped with a backslash; here the strings are joined without the spaces and read as UTF-8.
     */
    static String joinCharacterStrings(String shown) {
        StringBuilder joined = new StringBuilder(shown.length());
        int i = 0;
        while (i < shown.length()) {
            if (shown.charAt(i) == '"') {
                i++;
                while (i < shown.length() && shown.charAt(i) != '"') {
                    if (shown.charAt(i) == '\\' && i + 1 < shown.length()) {
                        i++;
                    }
                    joined.append(shown.charAt(i++));
                }
                i++;
            } else {
                while (i < shown.length() && shown.charAt(i) != ' ') {
                    joined.append(shown.charAt(i++));
                }
            }
            if (i < shown.length() && shown.charAt(i) == ' ') {
                i++;
            }
        }
        return new String(joined.toString().getBytes(ISO_8859_1), UTF_8);
    }

    private static String url(InetSocketAddress server) {
        String host = server.getAddress().getHostAddress();
        return "dns://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort();
    }
}
