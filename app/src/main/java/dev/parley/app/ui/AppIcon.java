package dev.parley.app.ui;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Parley's icon, a speech bubble in the accent blue with a white P, drawn at any size: for the window, and (run as
 * a program) for the installers: PNGs at the sizes desktops ask for, a Windows {@code .ico} and a macOS
 * {@code .icns}, both holding PNG images as their formats allow.
 */
public final class AppIcon {
    /** The sizes freedesktop.org icon themes and the installers use. */
    static final List<Integer> SIZES = List.of(16, 24, 32, 48, 64, 128, 256, 512);
    private static final Color ACCENT = new Color(0x2F_7B_E5);

    private AppIcon() {
    }

    /** The icon at the sizes a window offers its desktop, drawn once. */
    static List<Image> forWindows() {
        return WindowSizes.IMAGES;
    }

    /** Drawn when first asked for: only a program with windows needs them. */
    private static final class WindowSizes {
        static final List<Image> IMAGES = List.of(16, 32, 48, 64, 128).stream().map(size -> (Image) draw(size))
                .toList();
    }

    static BufferedImage draw(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(ACCENT);
            int body = size * 13 / 16;
            g.fillRoundRect(0, 0, size, body, size / 2, size / 2);
            g.fillPolygon(new int[] {size / 5, size / 5, size * 2 / 5}, new int[] {body - 2, size, body - 2}, 3);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size * 9 / 16));
            int width = g.getFontMetrics().stringWidth("P");
            g.drawString("P", (size - width) / 2, (body + g.getFontMetrics().getAscent()) / 2 - size / 16);
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Writes {@code parley-N.png} for every size, {@code parley.png} (256), {@code parley.ico} and
     * {@code parley.icns} into the folder given as the one argument. Headless: no display needed.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: AppIcon FOLDER (the folder to write the icons to)");
        }
        System.setProperty("java.awt.headless", "true");
        Path folder = Files.createDirectories(Path.of(args[0]));
        Map<Integer, byte[]> pngs = new LinkedHashMap<>();
        for (int size : SIZES) {
            pngs.put(size, png(draw(size)));
            Files.write(folder.resolve("parley-" + size + ".png"), pngs.get(size));
        }
        Files.write(folder.resolve("parley.png"), pngs.get(256));
        Files.write(folder.resolve("parley.ico"), ico(pngs));
        Files.write(folder.resolve("parley.icns"), icns(pngs));
    }

    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A Windows icon: a little-endian header (reserved 0, type 1, count), a 16-byte entry per image (width and
     * height, 0 meaning 256, no palette, 1 plane, 32 bits, size, offset), then the images; PNG images are allowed
     * since Windows Vista. Sizes above 256 do not fit the format and are left out.
     */
    static byte[] ico(Map<Integer, byte[]> pngs) {
        Map<Integer, byte[]> fitting = new LinkedHashMap<>();
        pngs.forEach((size, png) -> {
            if (size <= 256) {
                fitting.put(size, png);
            }
        });
        int offset = 6 + 16 * fitting.size();
        int total = offset + fitting.values().stream().mapToInt(png -> png.length).sum();
        ByteBuffer ico = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        ico.putShort((short) 0).putShort((short) 1).putShort((short) fitting.size());
        for (Map.Entry<Integer, byte[]> image : fitting.entrySet()) {
            int side = image.getKey() == 256 ? 0 : image.getKey();
            ico.put((byte) side).put((byte) side).put((byte) 0).put((byte) 0);
            ico.putShort((short) 1).putShort((short) 32).putInt(image.getValue().length).putInt(offset);
            offset += image.getValue().length;
        }
        fitting.values().forEach(ico::put);
        return ico.array();
    }

    /**
     * A macOS icon: {@code icns} and the file's length, then per image a four-letter type, the entry's length and
     * the PNG. The types are Apple's for PNG data at 16, 32, 64, 128, 256 and 512 pixels.
     */
    static byte[] icns(Map<Integer, byte[]> pngs) {
        Map<Integer, String> types = Map.of(16, "icp4", 32, "icp5", 64, "icp6", 128, "ic07", 256, "ic08",
                512, "ic09");
        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(entries)) {
            for (Map.Entry<Integer, byte[]> image : pngs.entrySet()) {
                String type = types.get(image.getKey());
                if (type != null) {
                    out.writeBytes(type);
                    out.writeInt(8 + image.getValue().length);
                    out.write(image.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream icns = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(icns)) {
            out.writeBytes("icns");
            out.writeInt(8 + entries.size());
            entries.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return icns.toByteArray();
    }
}
