package dev.parley.app.ui;

import java.awt.Color;
import java.awt.Cursor;
import java.awt.Insets;
import java.awt.KeyboardFocusManager;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.net.URI;
import java.util.Optional;
import javax.swing.BorderFactory;
import javax.swing.JTextPane;
import javax.swing.text.AttributeSet;
import javax.swing.text.BadLocationException;
import javax.swing.text.DefaultStyledDocument;
import javax.swing.text.Element;
import javax.swing.text.SimpleAttributeSet;
import javax.swing.text.StyleConstants;
import javax.swing.text.StyledDocument;

/**
 * A message's text in a bubble: selectable and copyable like any text, not editable, links underlined and opened
 * in the browser on a click, emoji drawn from the colour emoji font.
 */
final class MessageText extends JTextPane {
    /** The character attribute that marks a link's characters; its value is the link's URI. */
    private static final Object LINK = new Object() {
        @Override
        public String toString() {
            return "link";
        }
    };

    private final String text;
    private Color linkColour;

    MessageText(String text) {
        this.text = text;
        setEditable(false);
        setOpaque(false);
        setBorder(BorderFactory.createEmptyBorder());
        setMargin(new Insets(0, 0, 0, 0));
        // Tab and Shift+Tab move on, as everywhere outside the composer; a text pane would type (here: swallow) a tab.
        setFocusTraversalKeys(KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        setFocusTraversalKeys(KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
        MouseAdapter links = new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent event) {
                if (event.getButton() == MouseEvent.BUTTON1 && getSelectionStart() == getSelectionEnd()) {
                    linkAt(event).ifPresent(uri -> Links.open(uri, MessageText.this));
                }
            }

            @Override
            public void mouseMoved(MouseEvent event) {
                setCursor(linkAt(event).isPresent() ? Cursor.getPredefinedCursor(Cursor.HAND_CURSOR)
                        : Cursor.getPredefinedCursor(Cursor.TEXT_CURSOR));
            }
        };
        addMouseListener(links);
        addMouseMotionListener(links);
    }

    /** Sets the colours and fills the document; again after a theme change. */
    void style(Color foreground, Color links) {
        if (foreground.equals(getForeground()) && links.equals(linkColour) && getDocument().getLength() > 0) {
            return;
        }
        setForeground(foreground);
        linkColour = links;
        StyledDocument document = new DefaultStyledDocument();
        try {
            document.insertString(0, text, null);
        } catch (BadLocationException e) {
            throw new IllegalStateException("inserting at 0 of an empty document", e);
        }
        for (Links.Link link : Links.find(text)) {
            SimpleAttributeSet attributes = new SimpleAttributeSet();
            StyleConstants.setUnderline(attributes, true);
            StyleConstants.setForeground(attributes, links);
            attributes.addAttribute(LINK, link.uri());
            document.setCharacterAttributes(link.start(), link.end() - link.start(), attributes, false);
        }
        Emoji.mark(document, text, getFont().getSize2D());
        setDocument(document);
    }

    String text() {
        return text;
    }

    private Optional<URI> linkAt(MouseEvent event) {
        int offset = viewToModel2D(event.getPoint());
        if (offset < 0) {
            return Optional.empty();
        }
        Element run = ((StyledDocument) getDocument()).getCharacterElement(offset);
        AttributeSet attributes = run.getAttributes();
        return attributes.getAttribute(LINK) instanceof URI uri ? Optional.of(uri) : Optional.empty();
    }
}
