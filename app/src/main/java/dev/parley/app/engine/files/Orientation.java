package dev.parley.app.engine.files;

import java.awt.geom.AffineTransform;

/**
 * How a photo is turned to be shown: EXIF's orientations 1 to 8, by the names javax.imageio's standard metadata
 * gives them (TwelveMonkeys' JPEG reader fills its ImageOrientation from EXIF; rotations are counter-clockwise).
 */
enum Orientation {
    /** EXIF 1. */
    NORMAL("Normal"),
    /** EXIF 2: mirrored left to right. */
    FLIP_H("FlipH"),
    /** EXIF 3: upside down. */
    ROTATE_180("Rotate180"),
    /** EXIF 4: mirrored top to bottom. */
    FLIP_V("FlipV"),
    /** EXIF 5: mirrored across the diagonal from the top left (transposed). */
    FLIP_V_ROTATE_90("FlipVRotate90"),
    /** EXIF 6: a quarter turn clockwise shows it (a phone held upright). */
    ROTATE_270("Rotate270"),
    /** EXIF 7: mirrored across the diagonal from the top right. */
    FLIP_H_ROTATE_90("FlipHRotate90"),
    /** EXIF 8: a quarter turn counter-clockwise shows it. */
    ROTATE_90("Rotate90");

    private final String metadataName;

    Orientation(String metadataName) {
        this.metadataName = metadataName;
    }

    /** The orientation javax.imageio's standard metadata names so; NORMAL for anything else. */
    static Orientation named(String metadataName) {
        for (Orientation orientation : values()) {
            if (orientation.metadataName.equals(metadataName)) {
                return orientation;
            }
        }
        return NORMAL;
    }

    /** Whether the picture as shown is the stored one's height wide. */
    boolean swapsSides() {
        return ordinal() >= FLIP_V_ROTATE_90.ordinal();
    }

    /** From the stored picture's coordinates ({@code width} × {@code height}) to the shown picture's. */
    AffineTransform transform(int width, int height) {
        return switch (this) {
            case NORMAL -> new AffineTransform();
            case FLIP_H -> new AffineTransform(-1, 0, 0, 1, width, 0);
            case ROTATE_180 -> new AffineTransform(-1, 0, 0, -1, width, height);
            case FLIP_V -> new AffineTransform(1, 0, 0, -1, 0, height);
            // AffineTransform(m00, m10, m01, m11, m02, m12): x' = m00 x + m01 y + m02, y' = m10 x + m11 y + m12.
            case FLIP_V_ROTATE_90 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case ROTATE_270 -> new AffineTransform(0, 1, -1, 0, height, 0);
            case FLIP_H_ROTATE_90 -> new AffineTransform(0, -1, -1, 0, height, width);
            case ROTATE_90 -> new AffineTransform(0, -1, 1, 0, 0, width);
        };
    }
}
