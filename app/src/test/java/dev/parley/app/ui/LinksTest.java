package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinksTest {
    @Test
    void findsHttpAndHttpsLinksWithoutTheSentencePunctuationAroundThem() {
        String text = "See https://example.org/a?b=1. And (http://example.com/x), or HTTPS://Example.net!";
        List<Links.Link> links = Links.find(text);
        assertThat(links).extracting(Links.Link::uri).containsExactly(URI.create("https://example.org/a?b=1"),
                URI.create("http://example.com/x"), URI.create("HTTPS://Example.net"));
        assertThat(text.substring(links.get(1).start(), links.get(1).end())).isEqualTo("http://example.com/x");
    }

    @Test
    void keepsAClosingBracketThatTheLinkItselfOpened() {
        assertThat(Links.find("https://en.wikipedia.org/wiki/Parley_(film) is good"))
                .extracting(Links.Link::uri).containsExactly(URI.create("https://en.wikipedia.org/wiki/Parley_(film)"));
    }

    @Test
    void leavesOtherSchemesAndBrokenLinksAsText() {
        assertThat(Links.find("ftp://example.org file:///etc/passwd javascript:alert(1) http://[broken")).isEmpty();
    }

    @Test
    void aBareWwwAddressIsALinkThatOpensWithHttps() {
        String text = "Tickets at www.example.org/tickets?day=2, see you (and WWW.Example.NET).";
        List<Links.Link> links = Links.find(text);
        assertThat(links).extracting(Links.Link::uri).containsExactly(
                URI.create("https://www.example.org/tickets?day=2"), URI.create("https://WWW.Example.NET"));
        assertThat(text.substring(links.get(0).start(), links.get(0).end())).isEqualTo("www.example.org/tickets?day=2");
        assertThat(text.substring(links.get(1).start(), links.get(1).end())).isEqualTo("WWW.Example.NET");
    }

    @Test
    void aWwwInsideALinkIsPartOfItAndALinkInsideAWwwAddressStaysInIt() {
        assertThat(Links.find("https://www.example.org/a and www.example.com/?next=http://example.net/b"))
                .extracting(Links.Link::uri).containsExactly(URI.create("https://www.example.org/a"),
                        URI.create("https://www.example.com/?next=http://example.net/b"));
    }

    @Test
    void wwwAloneOrInsideAnotherWordOrAddressIsNotALink() {
        assertThat(Links.find("the www. prefix, www.localhost, awww.example.org, ann@www.example.org,"
                + " //www.example.org and mirror.www.example.org")).isEmpty();
    }
}
